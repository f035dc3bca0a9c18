// Package tx decodes transactions of every type, signed and unsigned, and
// transaction requests as dapps send them, into one Tx.
//
// go-ethereum decodes only signed envelopes. What a wallet or hardware
// wallet actually signs is the signing payload: for legacy transactions
// rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0]) (EIP-155) or
// the six-field pre-EIP-155 list, and for typed transactions
// type || rlp([fields without v, r, s]). Those forms are decoded here with
// go-ethereum's RLP decoder into mirror structs, then turned into
// go-ethereum transactions so that hashing and signing hashes stay theirs.
//
// Consensus rules that a decodable transaction can still break (intrinsic
// gas, nonce and fee bounds, an empty authorization list) are reported as
// Problems, not errors: the person should see the transaction and why it
// would never be included.
package tx
