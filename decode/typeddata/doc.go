// Package typeddata decodes EIP-712 typed data (eth_signTypedData_v4): the
// domain it binds to, the message in type order with labelled addresses and
// readable amounts and dates, and the three hashes a wallet computes, so
// that what txguard shows is exactly what the signature commits to.
//
// # Which hash
//
// The digest shown must be the one the wallet signs, so where libraries
// disagree txguard follows MetaMask's eth_signTypedData_v4 (the wallet most
// requests are written for) and the EIP-712 text, and says so in Notes:
//
//   - A domain field outside EIP-712's five (the spec's own Example.js adds
//     httpOrigin) is hashed as declared in types.EIP712Domain. go-ethereum's
//     apitypes cannot: its TypedDataDomain has fixed fields, so the value is
//     lost and hashing fails; ethers refuses the key. The request is still a
//     thing a person may be asked to sign, so it is decoded, kept in
//     Domain.Extra, and noted.
//   - Recursive types (Person with a Person mother) are accepted; go-ethereum
//     and ethers refuse them. encodeType lists each type once, and an absent
//     or null struct value is 32 zero bytes, as MetaMask v4 encodes it.
//   - Keys that are not members of their type are left out of the hash and
//     noted as not signed (go-ethereum refuses them, MetaMask ignores them).
//   - A missing EIP712Domain type means an empty domain, and a domain field
//     not declared in it is not signed; both are noted.
//
// Hashing is written here, per the specification, because of those cases;
// go-ethereum still encodes every atomic value, and the tests and the fuzz
// target hold our digests and encodeType strings to go-ethereum's wherever
// it accepts the input. encodeType's dependency walk is our own because
// go-ethereum's is superlinear (2,000 chained types take it 18 seconds).
//
// # What is refused
//
// Anything whose hash would be a guess: malformed JSON, a missing part, an
// undefined or shadowed type, names that are not identifiers (they could
// make two type sets encode alike), a value that does not fit its type
// (including integers out of range and JSON numbers with a fraction or an
// exponent), type definitions whose type strings would pass 4 MiB to hash
// (each includes every type it reaches, so a few hundred KiB of types could
// cost gigabytes), and messages whose Field tree would outgrow the input:
// more values, or more bytes to show, than a budget proportional to the
// request's size allows (budget.go: absent members, type names and paths
// are repeated on every value, and arrays of arrays multiply). Errors are
// one line, start with "typeddata: " and name the JSON path or type that
// is wrong.
package typeddata
