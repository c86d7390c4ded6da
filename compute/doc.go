// Package compute is kuntalasku's vocabulary and its pure rules: money, payers,
// dates and billing cycles, and the exact splitting of budgets between payers.
//
// Nothing here does I/O, reads a clock or takes a context: every date and input
// arrives as a value, so every rule can be tested exhaustively.
//
// Money is counted in whole cents (int64). Shares are exact fractions
// (128-bit integers, math/big when they do not fit), never floats: an amount is split by the largest-remainder
// (Hamilton) method so that the parts always sum to the whole, and the two
// components of the cost-sharing scheme (population and activities) are
// rounded jointly by the controlled rounding of SPEC section 3, so that every
// payer's lines sum to its total and every column sums to its budget.
package compute
