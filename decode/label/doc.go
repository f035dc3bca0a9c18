// Package label names things: chains, well-known contracts, tokens and the
// user's address book, and turns raw integers into amounts people can read.
//
// Every table is embedded and parsed once, on first use, so a process that
// never needs a label never pays for one.
package label
