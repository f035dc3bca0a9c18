// Package decode turns the bytes a person is asked to sign into one typed,
// labelled value: a raw or requested transaction, EIP-712 typed data, a
// personal message, a blind hash, or contract bytecode. It detects the kind,
// decodes it with go-ethereum's own types and returns an error that says
// what is wrong and where when it cannot. It holds no policy: judging what
// it finds is guard's job.
package decode
