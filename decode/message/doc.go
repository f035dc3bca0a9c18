// Package message decodes the signature requests that are not typed data:
// personal_sign (EIP-191 version 0x45), the Sign-In with Ethereum messages
// (EIP-4361) carried in it, and eth_sign of a raw 32-byte hash.
//
// personal_sign is shown as text when its bytes read as text, and as bytes
// otherwise; either way with the hash the key will sign, so a person can
// match it against what their wallet displays. A parameter of "0x" and an
// even number of hex digits is bytes, as MetaMask reads it. Wallets differ
// on odd-length hex (some pad it to bytes, some sign the text): it is
// decoded as text and flagged LooksLike "hex", so the reviewer knows the
// wallet may sign something else.
//
// A message that says it is a sign-in is held to EIP-4361 strictly: a
// malformed one is reported in Message.SIWEError, not returned as an error,
// because it is still a message someone may be asked to sign and guard
// should judge it, not decode refuse it.
//
// eth_sign of a hash is decoded only to say that nothing can be decoded:
// the hash could commit to anything.
package message
