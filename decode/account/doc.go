// Package account reads what a signature makes a smart account execute, as
// the on-chain call it becomes, so that the rules that judge a transaction
// judge it too: a Safe transaction (SafeTx), a Safe4337Module operation
// (SafeOp), an ERC-4337 UserOperation (typed data for EntryPoint v0.8+, or
// an eth_sendUserOperation request) and an EIP-5792 wallet_sendCalls batch.
//
// # Read as the call it becomes
//
// Each Op carries the call the account will make, built with go-ethereum's
// ABI packing and decoded by package calldata at the path "op.call", so
// containers open as they would in a transaction: a SafeTx becomes the
// Safe's execTransaction (the inner call keeps its operation, and a
// DELEGATECALL to MultiSend opens the batch); a SafeOp or UserOperation
// becomes its callData sent to the account (Safe4337Module's executeUserOp
// opens with its operation); a wallet_sendCalls batch becomes the ERC-7821
// execute(batch mode, calls) that the wallet's account would run.
//
// # Recognised by shape, hashed as the contract hashes
//
// Typed data is taken for a SafeTx, SafeOp or PackedUserOperation only when
// its primary type has exactly the members, in order and with the types,
// that the contract hashes: the signature is only valid on chain for that
// shape, and a look-alike with one more member is something else, which
// the caller reports unread (FromTypedData returns nil). For typed data,
// Hash is the EIP-712 digest the wallet signs. For eth_sendUserOperation
// the userOpHash is computed as each EntryPoint does: v0.6 and v0.7 hash
// the packed operation with the entry point and chain; v0.8 and v0.9 use
// EIP-712 (domain "ERC4337", version "1"), where an initCode that starts
// with the EIP-7702 marker is hashed with the account's delegate in its
// place, and v0.9 leaves a paymaster's own signature out. A hash that
// needs a fact the request does not carry (the chain; the 7702 delegate)
// is left zero and a Note says why: a wrong hash would be worse.
//
// # What is refused
//
// Malformed requests (a missing or mistyped field, a quantity that is not
// 0x hex, a v0.6 field sent to a v0.7 entry point, a duplicate or
// case-variant key) are errors of one line that start with "account: "
// and name the field. Unread parts (Op.Unread) are what the rules cannot
// see into: setup data handed to a factory, paymaster data, and calls the
// decoder could not read.
package account
