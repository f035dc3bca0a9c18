// Package solc reads what the Solidity compiler knows about a build — its
// standard-JSON output or a Foundry/Hardhat build-info file: the exact
// sources it compiled, their ASTs and every contract's storage layout — and
// turns it into facts a diff can compare: each contract's entry points, the
// caller checks on every path from them, what those paths can do to value
// and authority, its constants and address literals, and its storage.
//
// The facts are the compiler's, not the source text's: inheritance is
// linearised, calls resolve to the declaration the compiler bound
// (overrides included), constants carry their values, and a remapped or
// vendored dependency is a changed source like any other.
package solc
