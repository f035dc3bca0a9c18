// Package jsonkey refuses JSON that two readers could read differently.
//
// A wallet reads a request with JavaScript's JSON.parse: exact keys, the
// last of two duplicates wins. Go's encoding/json matches struct fields
// case-insensitively (with Unicode folding: "ſ" is an "s", "K" a "k") and
// also keeps the last duplicate. So {"to": A, "To": B} is a call to B for
// one and to A for the other, and a lone "acceſsList" is an access list to
// Go and nothing to a wallet. Refusing such input is the only reading that
// cannot be steered: nothing honest sends it.
package jsonkey
