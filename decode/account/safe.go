package account

import (
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/clip"
	"github.com/txguard/txguard/decode/typeddata"
)

// The domains a Safe hashes (safe-smart-account: ≤1.2.0 and ≥1.3.0).
const (
	safeDomainLegacy = "EIP712Domain(address verifyingContract)"
	safeDomainChain  = "EIP712Domain(uint256 chainId,address verifyingContract)"
)

// safeTx reads a SafeTx as the execTransaction the Safe (the domain's
// verifyingContract) will run; the decoder opens the inner call with its
// operation, MultiSend batches included.
func safeTx(td *typeddata.TypedData, m values, d *calldata.Decoder, gasField string) (*Op, error) {
	safe := td.Domain.VerifyingContract.Address
	r := newReader(d, chainOf(td.Domain.ChainID))
	op := &Op{
		Kind:    KindSafeTx,
		Account: r.addr(safe),
		Nonce:   m["nonce"],
		ChainID: td.Domain.ChainID,
		Hash:    td.SigningHash,
	}
	domain := domainShape(td)
	switch {
	case gasField == "dataGas":
		op.Standard = "Safe 0.1.0 (dataGas, no chainId in the domain)"
	case td.Domain.ChainID != "":
		op.Standard = "Safe 1.3.0+ (chainId in the domain)"
	default:
		op.Standard = "Safe 1.0.0 to 1.2.0 (no chainId in the domain)"
	}
	if domain != safeDomainLegacy && domain != safeDomainChain || gasField == "dataGas" && domain != safeDomainLegacy {
		op.note("the domain is %s, which no Safe version hashes with this SafeTx type: a Safe would not accept the signature as it is", clip.Cut(domain, 200))
	}

	to, operation := m.addr("to"), m.num("operation")
	input, err := execTransaction().call(to, m.num("value"), m.bytes("data"), uint8(operation.Uint64()),
		m.num("safeTxGas"), m.num(gasField), m.num("gasPrice"), m.addr("gasToken"), m.addr("refundReceiver"), []byte{})
	if err != nil {
		return nil, err
	}
	op.Call = r.decode(&safe, nil, input)

	switch {
	case operation.Sign() == 0:
	case operation.Cmp(big.NewInt(1)) == 0:
		op.note("operation 1: DELEGATECALL: the Safe runs the code of %s as its own, with the Safe's storage, owners and assets; that code can do anything the Safe can", show(r.addr(to)))
	case operation.Cmp(big.NewInt(2)) == 0 && domain == safeDomainLegacy:
		op.note("operation 2: CREATE: Safes 0.1.0 and 1.0.0 deploy a contract from data, with value from the Safe; from 1.1.0 on a Safe refuses it")
	default:
		op.note("operation %s is neither a call (0) nor a DELEGATECALL (1): the Safe would not execute it", operation)
	}
	if to == safe {
		name := "a call"
		if len(op.Call.Calls) > 0 && op.Call.Calls[0].Name != "" {
			name = op.Call.Calls[0].Name
		}
		op.note("the Safe calls itself (%s): it changes the Safe's own owners, threshold, modules, guard or handler", name)
	}
	safeRefund(op, r, m, gasField)
	return op, nil
}

// safeRefund notes a gas refund: with gasPrice set, the Safe pays
// (gas used + baseGas) × gasPrice to refundReceiver, or to whoever submits
// the transaction when it is zero; in ETH capped by the transaction's gas
// price, in a token not capped at all (Safe.handlePayment).
func safeRefund(op *Op, r reader, m values, gasField string) {
	price := m.num("gasPrice")
	if price.Sign() == 0 {
		return
	}
	receiver := "whoever submits the transaction (tx.origin)"
	if rr := m.addr("refundReceiver"); rr != (common.Address{}) {
		receiver = show(r.addr(rr))
	}
	if token := m.addr("gasToken"); token != (common.Address{}) {
		op.note("gas refund in a token: the Safe pays (gas used + %s %s) × gasPrice %s of %s to %s, with no cap from the network's gas price",
			gasField, m[gasField], price, show(r.addr(token)), receiver)
		return
	}
	op.note("gas refund in the native currency: the Safe pays (gas used + %s %s) × min(gasPrice %s wei, the transaction's gas price) to %s",
		gasField, m[gasField], price, receiver)
}

// safeOp reads a Safe4337Module SafeOp: the UserOperation's callData sent
// to the Safe (the message's "safe"), which the module runs; executeUserOp
// opens with its operation.
func safeOp(td *typeddata.TypedData, m values, d *calldata.Decoder, version string) (*Op, error) {
	module := td.Domain.VerifyingContract.Address
	r := newReader(d, chainOf(td.Domain.ChainID))
	safe, ep := m.addr("safe"), m.addr("entryPoint")
	epVersion := "0.6"
	if version == "0.3.0" {
		epVersion = "0.7"
	}
	op := &Op{
		Kind:       KindSafeOp,
		Standard:   fmt.Sprintf("Safe4337Module %s SafeOp (EntryPoint v%s)", version, epVersion),
		Account:    r.addr(safe),
		EntryPoint: r.addrPtr(ep),
		Nonce:      m["nonce"],
		ChainID:    td.Domain.ChainID,
		Hash:       td.SigningHash,
	}
	if domainShape(td) != safeDomainChain {
		op.note("the domain is %s; the module hashes EIP712Domain(uint256 chainId,address verifyingContract), so it would not accept the signature as it is", clip.Cut(domainShape(td), 200))
	}
	switch known, ok := safe4337Modules[module]; {
	case !ok:
		op.note("the verifyingContract %s is not a known Safe4337Module: the signature is for whatever module that is", show(r.addr(module)))
	case known.version != version:
		op.note("the verifyingContract is Safe4337Module %s, but the SafeOp has the fields of %s: that module would not accept the signature", known.version, version)
	case ep != known.entryPoint:
		op.note("entryPoint %s is not the one Safe4337Module %s trusts (%s): it would not accept the signature", show(r.addr(ep)), version, show(r.addr(known.entryPoint)))
	}
	op.setInitCode(r, m.bytes("initCode"), epVersion)
	op.setPaymaster(r, m.bytes("paymasterAndData"), epVersion, false)
	callData := m.bytes("callData")
	op.Call = r.decode(&safe, nil, callData)
	switch op.Call.Signature {
	case "executeUserOp(address,uint256,bytes,uint8)", "executeUserOpWithErrorString(address,uint256,bytes,uint8)":
		if in := op.Call.Calls; len(in) > 0 && in[0].Operation == calldata.OpDelegateCall && in[0].Target != nil {
			op.note("executeUserOp operation 1: DELEGATECALL: the Safe runs the code of %s as its own, with the Safe's storage, owners and assets", show(*in[0].Target))
		}
	default:
		op.note("callData is not executeUserOp or executeUserOpWithErrorString, the only calls the module validates: it would refuse the operation")
	}
	validity(op, m.num("validAfter"), m.num("validUntil"))
	return op, nil
}

// validity notes the window a SafeOp is valid in (0: no bound).
func validity(op *Op, after, until *big.Int) {
	if after.Sign() > 0 {
		op.note("valid only from %s", unixDate(after))
	}
	if until.Sign() > 0 {
		op.note("valid only until %s", unixDate(until))
	}
}

func unixDate(t *big.Int) string {
	return time.Unix(t.Int64(), 0).UTC().Format("2006-01-02 15:04:05 UTC")
}
