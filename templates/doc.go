// Package templates holds everything kuntalasku's documents and messages are
// made of that is not a number: the fonts, the texts in Finnish, Swedish and
// English, and the locale's way of writing money, dates and counts, so that a
// PDF and an email show a number the same way ("1 835,94 €").
//
// Texts are embedded in the binary, parsed once and strict: every language
// must have every key, and a text that refers to a missing value fails instead
// of printing "<no value>" on an invoice.
package templates
