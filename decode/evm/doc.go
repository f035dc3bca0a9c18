// Package evm looks at contract bytecode without running it on a chain.
//
// Analyze names the form of code (creation or runtime, EIP-1167 minimal
// proxy, EIP-7702 delegation designator). Disassemble lists instructions,
// stopping at the compiler's CBOR metadata trailer, which ParseMetadata
// reads (solc's ipfs/bzzr hash and version, Vyper's version). Selectors
// recovers the public function selectors from the dispatcher with a small
// interpreter that follows the call data's selector, the way evmole does.
// Analyze puts it all together for one piece of code: for creation code it finds
// the runtime the constructor deploys and reports on that. It reports facts
// (selectors, implied interfaces, proxy kinds, well-known storage slots,
// DELEGATECALL/SELFDESTRUCT/CALLCODE/CREATE/ORIGIN sites with where their
// address operand comes from, hard-coded addresses); turning facts into
// findings is the guard package's job.
//
// Everything here takes attacker-chosen bytes: no input makes it panic, and
// every walk over the code has a budget.
package evm
