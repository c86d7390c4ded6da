package compute

// Payer is who an invoice is addressed to: a participating municipality (its
// id is its three-digit municipality code, "019", "853") or another
// subscriber (an id from the configuration).
type Payer struct {
	ID   string
	Name string
}
