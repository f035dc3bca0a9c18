// Package calldata turns calldata into named calls with readable values,
// offline, and opens the containers that hide calls inside calls: multicall,
// Multicall3, Safe execTransaction and MultiSend batches, Safe4337Module's
// executeUserOp, the Universal Router's command list, ERC-7821 and
// smart-account batches and ERC-4337 bundles.
//
// A selector is resolved from, in order, the user's --abi, the curated ABIs
// embedded in abis/ (with parameter names) and go-ethereum's 4byte table.
// Where more than one signature shares a selector, the candidate whose
// arguments decode and re-encode to the very same bytes wins, and the call
// says when more than one does.
//
// ABI offsets are pointers, and many may point at the same bytes, so what a
// decoder builds is not bounded by what it reads. Each Decode has a budget
// proportional to the calldata's size (budget.go): values are counted
// before go-ethereum builds them, and a call the budget stops is marked
// (Error starts with BudgetExceeded), as is every call it is nested in;
// nothing after it is read. Containers are opened MaxDepth levels deep.
package calldata
