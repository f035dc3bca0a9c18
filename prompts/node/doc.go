// Package node asks the user's own Ethereum node what an input would do:
// it simulates a transaction, a Safe transaction, a UserOperation or a call
// batch with eth_simulateV1 (debug_traceCall where the node lacks it),
// reads the facts around it (chain, nonce, balance, code, token names) and,
// for a signature someone else uses later, the signer's exposure. It
// gathers facts as data for guard's TG10xx rules and never judges; like
// the model's client (package prompts), it only talks to this machine
// unless the user says otherwise (--allow-remote-rpc), because what it
// sends is the unsigned transaction.
package node
