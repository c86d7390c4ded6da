package compute

import (
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// Percent returns part/whole as a percentage rounded half up to places
// decimals, for printing a basis such as "38,4155 %". It is for display only:
// amounts are always computed from the exact fractions.
func Percent(part, whole int64, places int32) (decimal.Decimal, error) {
	if whole <= 0 || part < 0 || places < 0 {
		return decimal.Decimal{}, fmt.Errorf("percentage of %d in %d", part, whole)
	}
	// ⌊(2·part·100·10^places + whole) / (2·whole)⌋ is the half-up rounding of
	// part·100·10^places / whole for non-negative numbers.
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)+2), nil)
	num := new(big.Int).Mul(big.NewInt(2*part), scale)
	num.Add(num, big.NewInt(whole))
	num.Quo(num, big.NewInt(2*whole))
	return decimal.NewFromBigInt(num, -places), nil
}
