// Package solidity reads Solidity sources and diffs well enough to audit a
// pull request offline: it finds the changes that break upgradeable
// contracts or widen who can do what, and stays quiet about formatting,
// comments, renames and moved code.
//
// Three steps:
//
//   - Scan tokenises a source (comments, NatSpec and string literals of
//     every form are skipped, so words inside them never count) and reads
//     its structure: pragmas, imports, contracts with their bases, state
//     variables in declaration order, structs, and functions with their
//     parameter types, visibility, mutability, modifiers and the
//     constructs of concern in their bodies (Concern).
//   - Diff and DiffSet compare two versions and return Changes: facts with
//     a stable Kind, the contract, the function signature, a line and a
//     one-line detail. No severities: guard maps Kinds to rules.
//   - DiffUnified does the same from a unified diff, whole where the diff
//     holds whole files, hunk by hunk otherwise (its doc says what hunk
//     mode can and cannot see).
//
// # Lexical, not a compiler
//
// There is no grammar, type checker or import resolution here; the scanner
// knows tokens, bracket nesting and the shapes of declarations. What it
// sees: everything declared in the files it is given, with normalised
// types (uint is uint256, mapping key names dropped, whitespace ignored),
// and constructs recognised by their tokens: `.delegatecall(`,
// `selfdestruct(`, `tx.origin`, `assembly {`, `unchecked {`, `.call{`,
// `.staticcall(`, one-argument `.send(`/`.transfer(`, `callcode`, Yul
// `call`/`create2`, and `new X{salt: ...}`.
//
// What it misses:
//   - Anything behind a name: a modifier called onlyOwner that checks
//     nothing, an internal function that does a delegatecall for its
//     caller (the caller's count does not change), a library call that
//     wraps a low-level call (OpenZeppelin's Address.functionCall).
//   - Types it cannot see: a struct, enum or user-defined value type from
//     a file not given to DiffSet is compared by name only, and the slot
//     count behind a `__gap` is checked only for types whose size is known
//     here.
//   - Inherited storage: a change of bases is reported, and each base that
//     is among the files is compared on its own, but the linearised layout
//     across files is not computed.
//   - ERC-7201 namespaced storage (structs at a computed slot) and storage
//     reached through assembly `sload`/`sstore`.
//   - `.transfer(x)` and `.send(x)` are told from ERC-20 transfer(to,
//     amount) and ERC-777 send(to, amount, data) by argument count alone.
//   - Code at contract level outside functions (state variable
//     initialisers) is not searched for constructs of concern.
package solidity
