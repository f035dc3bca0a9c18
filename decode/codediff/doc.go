// Package codediff says what changed between two versions of contracts,
// for audits of a pull request: Solidity facts from decode/solidity
// (lexical and structural, not a compiler) and bytecode facts from
// decode/evm. Its sides come from files, directories, git revisions or a
// unified diff. It states facts; guard decides what they are worth.
package codediff
