package main

import (
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kuntalasku/kuntalasku/output/mail"
)

// SMTPConfig is the mail server that send uses (SPEC 6). Without a host
// (and without KUNTALASKU_SMTP_URL) messages go to the outbox as .eml files.
// The password is never in the file: it comes from KUNTALASKU_SMTP_PASSWORD.
type SMTPConfig struct {
	Host     string `toml:"host"`
	Port     int    `toml:"port"`
	Username string `toml:"username"`
	// TLS is "starttls" (the default: STARTTLS required), "tls" (implicit
	// TLS, port 465) or "none" (a local relay only; validate warns).
	TLS string `toml:"tls"`
	// CAFile is a PEM file of certificates to trust besides the system's.
	CAFile string `toml:"ca_file"`
	// From is the sender; default the seller's name and contact_email.
	From string `toml:"from"`
	// Attempts, Backoff and BackoffMax retry temporary failures within one
	// send: default 4 attempts, waiting 2s, 4s, 8s… at most 60s.
	Attempts   int    `toml:"attempts"`
	Backoff    string `toml:"backoff"`
	BackoffMax string `toml:"backoff_max"`
}

func (c *Config) validateMail(ce *configError) {
	s := &c.SMTP
	switch s.TLS {
	case "", mail.TLSStartTLS, mail.TLSImplicit, mail.TLSNone:
	default:
		ce.add("smtp.tls", "%q: expected \"starttls\" (the default), \"tls\" or \"none\"", s.TLS)
	}
	if s.Port < 0 || s.Port > 65535 {
		ce.add("smtp.port", "%d: expected a TCP port", s.Port)
	}
	if s.Attempts < 0 || s.Attempts > 20 {
		ce.add("smtp.attempts", "%d: expected 1 to 20 attempts", s.Attempts)
	}
	for key, v := range map[string]string{"smtp.backoff": s.Backoff, "smtp.backoff_max": s.BackoffMax} {
		if v == "" {
			continue
		}
		if d, err := time.ParseDuration(v); err != nil || d <= 0 || d > time.Hour {
			ce.add(key, "%q: expected a duration such as \"2s\" or \"1m\"", v)
		}
	}
	if s.From != "" {
		if _, err := netmail.ParseAddress(s.From); err != nil {
			ce.add("smtp.from", "%q: %v", s.From, err)
		}
	}
	for i, p := range c.Payers {
		for k, a := range p.Email {
			if _, err := netmail.ParseAddress(a); err != nil {
				ce.add(fmt.Sprintf("payers[%d].email[%d]", i, k), "%q: expected an email address: %v", a, err)
			}
		}
	}
}

// mailSettings are the SMTP settings after the environment's overrides,
// or ok false when no server is configured (the outbox).
type mailSettings struct {
	config mail.Config
	from   string
	retry  mail.Retry
	caFile string
}

// mailSettings reads the configuration's [smtp] and the environment:
// KUNTALASKU_SMTP_URL replaces host, port, user and TLS mode,
// KUNTALASKU_SMTP_PASSWORD is the password, KUNTALASKU_SMTP_CA a PEM file
// to trust.
func (m *Main) mailSettings(c *Config) (*mailSettings, bool, error) {
	s := c.SMTP
	ms := &mailSettings{from: s.From, caFile: c.pathOrEmpty(s.CAFile)}
	if ms.from == "" && c.Seller.ContactEmail != "" {
		ms.from = (&netmail.Address{Name: c.Seller.Name, Address: c.Seller.ContactEmail}).String()
	}
	ms.config = mail.Config{Host: s.Host, Port: s.Port, Username: s.Username, TLS: s.TLS}
	if u := m.Getenv("KUNTALASKU_SMTP_URL"); u != "" {
		cfg, err := mail.ParseURL(u)
		if err != nil {
			return nil, false, &usageError{fmt.Sprintf("KUNTALASKU_SMTP_URL: %v", redactURL(u, err))}
		}
		ms.config = cfg
	}
	if ms.config.Host == "" {
		return ms, false, nil
	}
	ms.config.Password = m.Getenv("KUNTALASKU_SMTP_PASSWORD")
	if ca := m.Getenv("KUNTALASKU_SMTP_CA"); ca != "" {
		ms.caFile = ca
	}
	if ms.caFile != "" {
		pool, err := mail.LoadCA(ms.caFile)
		if err != nil {
			return nil, false, &inputError{fmt.Errorf("the SMTP server's CA: %w", err)}
		}
		ms.config.RootCAs = pool
	}
	if ms.from == "" {
		return nil, false, &inputError{fmt.Errorf("configuration %s: smtp.from is missing and the seller has no contact_email: the messages need a sender", c.path)}
	}
	ms.retry = mail.Retry{Attempts: s.Attempts}
	ms.retry.Base, _ = time.ParseDuration(s.Backoff)
	ms.retry.Max, _ = time.ParseDuration(s.BackoffMax)
	return ms, true, nil
}

// redactURL is err without anything of the URL that could be a secret.
func redactURL(raw string, err error) string {
	msg := err.Error()
	if u, perr := url.Parse(raw); perr == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "***")
		}
	}
	return msg
}

// pathOrEmpty is a configured path relative to the configuration, or "".
func (c *Config) pathOrEmpty(p string) string {
	if p == "" {
		return ""
	}
	return c.Path(p)
}

// mailReport is validate's "Email:" section: how send would deliver the
// documents of a cycle ("" when validate names none), and a line starting
// with "WARNING:" when the connection to the server would not be encrypted.
// It reads the settings as send does, so a KUNTALASKU_SMTP_URL or CA file
// that send would refuse is refused here too. It never shows the password.
func (m *Main) mailReport(cfg *Config, cycle string) (string, error) {
	s, smtp, err := m.mailSettings(cfg)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("\nEmail:\n")
	if !smtp {
		if cycle == "" {
			cycle = "CYCLE"
		}
		folder := filepath.Join(outDir("", cfg), cfg.Scheme.ID, cycle, "outbox")
		fmt.Fprintf(&b, "  No SMTP server is configured ([smtp] host or KUNTALASKU_SMTP_URL): send writes each message\n"+
			"  as an .eml file (owner-only) to the outbox folder of its run, such as %s%c\n", folder, filepath.Separator)
		return b.String(), nil
	}
	c := s.config
	source := "[smtp] of the configuration"
	if m.Getenv("KUNTALASKU_SMTP_URL") != "" {
		source = "KUNTALASKU_SMTP_URL"
	}
	mode := c.TLS
	if mode == "" {
		mode = mail.TLSStartTLS
	}
	port := c.Port
	if port == 0 {
		port = map[string]int{mail.TLSStartTLS: mail.DefaultPortStartTLS, mail.TLSImplicit: mail.DefaultPortImplicit, mail.TLSNone: mail.DefaultPortNone}[mode]
	}
	addr := net.JoinHostPort(c.Host, strconv.Itoa(port))
	how := map[string]string{
		mail.TLSStartTLS: "STARTTLS required, the server's certificate verified",
		mail.TLSImplicit: "implicit TLS, the server's certificate verified",
		mail.TLSNone:     "NOT ENCRYPTED",
	}[mode]
	fmt.Fprintf(&b, "  Server %s (from %s), TLS mode %q: %s.\n", addr, source, mode, how)
	from := s.from
	if a, err := netmail.ParseAddress(from); err == nil && a.Name != "" {
		from = a.Name + " <" + a.Address + ">"
	}
	login := "no login"
	switch {
	case c.Username != "" && c.Password != "":
		login = fmt.Sprintf("login as %q with the password in KUNTALASKU_SMTP_PASSWORD", c.Username)
	case c.Username != "":
		login = fmt.Sprintf("login as %q, but KUNTALASKU_SMTP_PASSWORD is not set", c.Username)
	case c.Password != "":
		login = "KUNTALASKU_SMTP_PASSWORD is set but no user name"
	}
	fmt.Fprintf(&b, "  Sender %s; %s.\n", from, login)
	if s.caFile != "" {
		fmt.Fprintf(&b, "  Trusting also the certificates of %s.\n", s.caFile)
	}
	if mode == mail.TLSNone {
		fmt.Fprintf(&b, "WARNING: mail to %s would not be encrypted: the invoices, their attachments and the payers' addresses\n"+
			"  would cross the network in clear text, readable and changeable on the way, to a server that is not verified;\n"+
			"  kuntalasku never sends a password without TLS, so a server that needs one cannot be used this way.\n"+
			"  Use STARTTLS (KUNTALASKU_SMTP_URL=smtp://user@host:587, or [smtp] tls = \"starttls\") or implicit TLS\n"+
			"  (smtps://user@host:465, or tls = \"tls\"); keep \"none\" only for a relay on this machine.\n", addr)
		if c.Username != "" || c.Password != "" {
			b.WriteString("WARNING: a user name or KUNTALASKU_SMTP_PASSWORD is set: send refuses to send them without TLS.\n")
		}
	}
	return b.String(), nil
}
