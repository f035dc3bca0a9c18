// Package evm looks at contract bytecode without running it. For now it
// classifies code (creation or runtime, EIP-1167 minimal proxy, EIP-7702
// delegation designator); disassembly and analysis build on it.
package evm
