// Package selector names the function a calldata selector calls: it maps the
// first four bytes of calldata to a signature such as
// "transfer(address,uint256)".
//
// The data are go-ethereum's signer/fourbyte/4byte.json, a snapshot of
// 4byte.directory. go-ethereum's fourbyte.New unmarshals that 11 MB of JSON
// into a map on every start, about 220 ms and 55 MiB, which a one-shot CLI
// cannot afford. gen.go turns it once into 4byte.bin, a sorted table that
// Lookup binary-searches where it lies in the binary: nothing is parsed at
// start-up and a lookup touches a handful of pages.
//
// Every entry is checked when the table is built: its selector is
// keccak256(signature)[:4] and the signature parses with abi.ParseSelector.
// A selector is only a hash prefix, so a match names a function that has
// this selector, not necessarily the one the contract implements.
//
// To rebuild the table, for example after upgrading go-ethereum:
//
//	go generate ./decode/selector
package selector

//go:generate go run gen.go
