// Package proxy is txguard's RPC firewall: a JSON-RPC endpoint on this
// machine that a wallet (MetaMask, Rabby, Frame) uses as its network's RPC
// URL. It forwards every request to the user's node unchanged, byte for
// byte, except those that sign or move value (decode.Signs): each of those
// is judged first, by the Judge main wires in (the same decode, simulation,
// rules, model and screen as check), and forwarded only when approved;
// otherwise the wallet gets a JSON-RPC error with EIP-1193's code 4001
// (user rejected) and the verdict's headline. Every judged request goes to
// an append-only audit log. Like the model's and the node's clients, it
// lives with the code that talks to local servers (package prompts): it
// listens on loopback only unless told otherwise.
package proxy
