package account

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/clip"
	"github.com/txguard/txguard/decode/jsonkey"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/typeddata"
)

// ERC-4337 UserOperation keys of eth_sendUserOperation (ERC-7769; viem's
// formatters). ERC-7769's prose calls the paymaster's verification gas
// limit paymasterValidationGasLimit, its example and viem
// paymasterVerificationGasLimit: both are read.
var (
	userOpCommon = []string{"sender", "nonce", "callData", "callGasLimit", "verificationGasLimit",
		"preVerificationGas", "maxFeePerGas", "maxPriorityFeePerGas", "signature", "eip7702Auth"}
	userOpV06 = []string{"initCode", "paymasterAndData"}
	userOpV07 = []string{"factory", "factoryData", "paymaster", "paymasterVerificationGasLimit",
		"paymasterValidationGasLimit", "paymasterPostOpGasLimit", "paymasterData", "paymasterSignature"}
	// paymasterParts mean nothing without a paymaster.
	paymasterParts = []string{"paymasterVerificationGasLimit", "paymasterValidationGasLimit",
		"paymasterPostOpGasLimit", "paymasterData", "paymasterSignature"}
	// eip7702Auth is the authorization the bundler puts in its
	// transaction: {chainId, address, nonce, yParity, r, s}.
	authKeys = []string{"chainId", "address", "nonce", "yParity", "r", "s"}
)

// ParseUserOperation reads eth_sendUserOperation params, [userOp,
// entryPoint], as the call the EntryPoint makes to the sender. The
// entry point's address decides the fields (v0.6: initCode and
// paymasterAndData; v0.7+: factory, paymaster and their parts) and the
// hash; an unknown entry point is read with the fields its keys have and
// hashed as v0.6 or v0.7 hashes those, and a Note says so. chain is the
// caller's (--chain, or the request's envelope); 0 leaves Hash zero.
func ParseUserOperation(params []json.RawMessage, d *calldata.Decoder, chain uint64) (*Op, error) {
	if len(params) != 2 {
		return nil, fmt.Errorf("account: eth_sendUserOperation takes [userOp, entryPoint]; have %d params", len(params))
	}
	var epText string
	if err := json.Unmarshal(params[1], &epText); err != nil {
		return nil, fmt.Errorf("account: the entry point (params[1]) is %s, not an address string", kind(params[1]))
	}
	ep, err := label.ParseAddress(epText)
	if err != nil {
		return nil, fmt.Errorf("account: entry point: %v", err)
	}
	if err := jsonkey.Check(params[0], slices.Concat(userOpCommon, userOpV06, userOpV07, authKeys)...); err != nil {
		return nil, fmt.Errorf("account: userOp: %v", err)
	}
	o, err := parseObject("userOp", params[0])
	if err != nil {
		return nil, err
	}

	version := entryPoints[ep]
	has06, has07 := present(o, userOpV06), present(o, userOpV07)
	form := "0.7"
	switch {
	case len(has06) > 0 && len(has07) > 0:
		return nil, fmt.Errorf("account: userOp mixes v0.6 fields (%s) with v0.7 ones (%s)", strings.Join(has06, ", "), strings.Join(has07, ", "))
	case version == "0.6" && len(has07) > 0:
		return nil, fmt.Errorf("account: userOp has v0.7 fields (%s), but the entry point is v0.6, which takes initCode and paymasterAndData", strings.Join(has07, ", "))
	case version != "" && version != "0.6" && len(has06) > 0:
		return nil, fmt.Errorf("account: userOp has v0.6 fields (%s), but the entry point is v%s, which takes factory, factoryData and paymaster fields", strings.Join(has06, ", "), version)
	case version == "0.6" || version == "" && len(has06) > 0:
		form = "0.6"
	}
	rules := version // how the EntryPoint reads and hashes it
	if rules == "" {
		rules = form
	}

	u, auth, err := readUserOp(o, form, rules)
	if err != nil {
		return nil, err
	}
	r := newReader(d, chain)
	op := &Op{
		Kind:       KindUserOp,
		Standard:   "ERC-4337 EntryPoint v" + version,
		Account:    r.addr(u.sender),
		EntryPoint: r.addrPtr(ep),
		Nonce:      u.nonce.String(),
	}
	if version == "" {
		op.Standard = "ERC-4337 UserOperation, v" + form + " fields (unknown entry point)"
		op.note("entry point %s is not a known EntryPoint (v0.6 to v0.9): the operation is read with the v%s fields its keys have, and hashed as EntryPoint v%s hashes them", show(r.addr(ep)), form, form)
	}
	if chain != 0 {
		op.ChainID = strconv.FormatUint(chain, 10)
	}
	op.setInitCode(r, u.initCode, rules)
	op.setPaymaster(r, u.paymasterAndData, rules, false)
	op.Call = r.decode(&u.sender, nil, executeUserOpInner(op, u.callData))
	if auth != nil {
		d := r.addr(*auth)
		op.Delegate = &d
		op.note("the request carries an EIP-7702 authorization: the sender's code becomes that of %s, which then controls everything the account holds", show(r.addr(*auth)))
	}
	if extra := o.unknown(slices.Concat(userOpCommon, userOpV06, userOpV07)); len(extra) > 0 {
		op.note("keys that are not UserOperation fields, so not signed: %s", list(extra))
	}

	switch {
	case chain == 0:
		op.note("the userOpHash binds the chain id, which neither the request nor the caller named: not computed")
	case rules == "0.6":
		op.Hash = hashV06(u, ep, new(big.Int).SetUint64(chain))
	case rules == "0.7":
		op.Hash = hashV07(u, ep, new(big.Int).SetUint64(chain))
	case isEIP7702(u.initCode) && auth == nil:
		op.note("the userOpHash covers the sender's EIP-7702 delegate, which only the chain knows and the request does not carry (no eip7702Auth): not computed")
	default:
		op.Hash = hashEIP712(u, ep, new(big.Int).SetUint64(chain), auth, rules == "0.9")
	}
	return op, nil
}

// present lists the keys of names that o holds with a value.
func present(o object, names []string) []string {
	var out []string
	for _, k := range names {
		if o.has(k) {
			out = append(out, k)
		}
	}
	return out
}

// readUserOp reads the fields of form ("0.6" or "0.7") into the hashed
// layout; auth is the EIP-7702 delegate, when the request names one.
func readUserOp(o object, form, rules string) (u userOp, auth *common.Address, err error) {
	sender, err := o.address("sender", true)
	if err != nil {
		return u, nil, err
	}
	u.sender = *sender
	// v0.7 packs the gas limits and fees two to a word.
	gasBits := 128
	if form == "0.6" {
		gasBits = 256
	}
	for _, f := range []struct {
		key  string
		bits int
		dst  **big.Int
	}{
		{"nonce", 256, &u.nonce},
		{"callGasLimit", gasBits, &u.callGasLimit},
		{"verificationGasLimit", gasBits, &u.verificationGasLimit},
		{"preVerificationGas", 256, &u.preVerificationGas},
		{"maxFeePerGas", gasBits, &u.maxFeePerGas},
		{"maxPriorityFeePerGas", gasBits, &u.maxPriorityFeePerGas},
	} {
		if *f.dst, err = o.quantity(f.key, f.bits, true); err != nil {
			return u, nil, err
		}
	}
	if u.callData, err = o.bytes("callData", true); err != nil {
		return u, nil, err
	}
	// Not hashed, and not there yet when a request is checked before it
	// is signed; still it must be bytes.
	if _, err = o.bytes("signature", false); err != nil {
		return u, nil, err
	}
	if o.has("eip7702Auth") {
		if auth, err = readAuth(o); err != nil {
			return u, nil, err
		}
	}
	if form == "0.6" {
		if u.initCode, err = o.bytes("initCode", true); err != nil {
			return u, nil, err
		}
		u.paymasterAndData, err = o.bytes("paymasterAndData", true)
		return u, auth, err
	}
	if u.initCode, err = readFactory(o); err != nil {
		return u, nil, err
	}
	u.paymasterAndData, err = readPaymaster(o, rules)
	return u, auth, err
}

// readFactory builds initCode = factory ‖ factoryData. viem writes an
// EIP-7702 account's factory as the 2-byte "0x7702"; it stands for the
// 20-byte marker.
func readFactory(o object) ([]byte, error) {
	if !o.has("factory") {
		if o.has("factoryData") {
			return nil, o.errorf("factoryData", "present without a factory")
		}
		return []byte{}, nil
	}
	var factory common.Address
	if s, _, _ := o.str("factory", true); s == "0x7702" {
		factory = eip7702Marker
	} else {
		a, err := o.address("factory", true)
		if err != nil {
			return nil, err
		}
		factory = *a
	}
	data, err := o.bytes("factoryData", false)
	if err != nil {
		return nil, err
	}
	return append(factory.Bytes(), data...), nil
}

// readPaymaster builds paymasterAndData = paymaster ‖ verification gas
// limit (16 bytes) ‖ postOp gas limit (16) ‖ paymasterData, and for v0.9
// ‖ paymasterSignature ‖ its length (2) ‖ magic. Absent gas limits are
// zero, as viem packs them.
func readPaymaster(o object, rules string) ([]byte, error) {
	const verification, validation = "paymasterVerificationGasLimit", "paymasterValidationGasLimit"
	if !o.has("paymaster") {
		for _, k := range paymasterParts {
			if o.has(k) {
				return nil, o.errorf(k, "present without a paymaster")
			}
		}
		return []byte{}, nil
	}
	if o.has(verification) && o.has(validation) {
		return nil, o.errorf(validation, "given with %s; they are two names of one field", verification)
	}
	paymaster, err := o.address("paymaster", true)
	if err != nil {
		return nil, err
	}
	gasKey := verification
	if o.has(validation) {
		gasKey = validation
	}
	pvgl, err := o.quantity(gasKey, 128, false)
	if err != nil {
		return nil, err
	}
	postOp, err := o.quantity("paymasterPostOpGasLimit", 128, false)
	if err != nil {
		return nil, err
	}
	data, err := o.bytes("paymasterData", false)
	if err != nil {
		return nil, err
	}
	sig, err := o.bytes("paymasterSignature", false)
	if err != nil {
		return nil, err
	}
	if o.has("paymasterSignature") && rules != "0.9" {
		return nil, o.errorf("paymasterSignature", "only EntryPoint v0.9 takes a paymaster signature")
	}
	if len(sig) > 0xffff {
		return nil, o.errorf("paymasterSignature", "%d bytes do not fit its 2-byte length", len(sig))
	}
	pmd := append(paymaster.Bytes(), pack128(orZero(pvgl), orZero(postOp))...)
	pmd = append(pmd, data...)
	if len(sig) > 0 {
		pmd = append(append(append(pmd, sig...), byte(len(sig)>>8), byte(len(sig))), paymasterSigMagic...)
	}
	if _, ok := paymasterSignatureLen(pmd); rules == "0.9" && !ok {
		return nil, o.errorf("paymasterData", "ends with the v0.9 paymaster-signature magic, but its length field claims more bytes than there are: the EntryPoint would refuse it")
	}
	return pmd, nil
}

func orZero(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return x
}

// readAuth reads eip7702Auth: the delegate the sender's code will point
// to. Its signature is the bundler's to check, against the chain's nonce.
func readAuth(o object) (*common.Address, error) {
	a, err := parseObject(o.what+" eip7702Auth", o.m["eip7702Auth"])
	if err != nil {
		return nil, err
	}
	delegate, err := a.address("address", true)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"chainId", "nonce", "yParity"} {
		if _, err := a.quantity(k, 256, false); err != nil {
			return nil, err
		}
	}
	return delegate, nil
}

// packedUserOp reads PackedUserOperation typed data, which EntryPoint
// v0.8 and v0.9 hash under the domain ("ERC4337", "1", chain, entry
// point): the callData sent to the sender. The message holds the hashed
// form: for an EIP-7702 account a wallet may already have put the
// account's delegate where the marker was, and it then reads as a factory.
func packedUserOp(td *typeddata.TypedData, m values, d *calldata.Decoder) (*Op, error) {
	if td.Domain.Name != "ERC4337" || td.Domain.Version != "1" {
		return nil, nil
	}
	ep, sender := td.Domain.VerifyingContract.Address, m.addr("sender")
	r := newReader(d, chainOf(td.Domain.ChainID))
	version := entryPoints[ep]
	op := &Op{
		Kind:       KindUserOp,
		Standard:   "ERC-4337 EntryPoint v" + version + " (EIP-712 PackedUserOperation)",
		Account:    r.addr(sender),
		EntryPoint: r.addrPtr(ep),
		Nonce:      m["nonce"],
		ChainID:    td.Domain.ChainID,
		Hash:       td.SigningHash,
	}
	switch version {
	case "0.8", "0.9":
	case "":
		version = "0.8"
		op.Standard = "ERC-4337 PackedUserOperation (EIP-712, as EntryPoint v0.8+ hashes it)"
		op.note("entry point %s is not a known EntryPoint", show(r.addr(ep)))
	default:
		op.note("EntryPoint v%s does not hash user operations as EIP-712 typed data: it would not accept this signature", version)
	}
	if ds := domainShape(td); ds != "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)" {
		op.note("the domain is %s; the EntryPoint hashes (name, version, chainId, verifyingContract), so it would not accept the signature as it is", clip.Cut(ds, 200))
	}
	op.setInitCode(r, m.bytes("initCode"), version)
	op.setPaymaster(r, m.bytes("paymasterAndData"), version, true)
	op.Call = r.decode(&sender, nil, executeUserOpInner(op, m.bytes("callData")))
	return op, nil
}

// executeUserOpSelector is IAccountExecute's executeUserOp(PackedUserOperation,
// bytes32): the EntryPoint calls it instead of the callData when the
// callData starts with it, and the account runs what follows the selector
// as its own call (eth-infinitism v0.7 interfaces/IAccountExecute.sol).
var executeUserOpSelector = []byte{0x8d, 0xd7, 0x71, 0x2f}

// executeUserOpInner is the call an operation makes its account run.
func executeUserOpInner(op *Op, callData []byte) []byte {
	if len(callData) > 4 && bytes.Equal(callData[:4], executeUserOpSelector) {
		op.note("callData starts with executeUserOp (IAccountExecute): the account runs what follows it, read here as its call")
		return callData[4:]
	}
	return callData
}
