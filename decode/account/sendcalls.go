package account

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/clip"
	"github.com/txguard/txguard/decode/jsonkey"
)

// EIP-5792 wallet_sendCalls keys (EIPS/eip-5792.md, version 2.0.0).
var (
	sendCallsKeys = []string{"version", "id", "from", "chainId", "atomicRequired", "calls", "capabilities"}
	callKeys      = []string{"to", "value", "data", "capabilities"}
)

// MaxCalls bounds a wallet_sendCalls batch: each call is packed into one
// ERC-7821 execution, and a 4 MiB request of empty calls would otherwise
// pack into hundreds of megabytes. Wallets send a handful.
const MaxCalls = 1024

// erc7821BatchMode is ERC-7821's mode for a plain batch: call type 0x01
// (batch), everything else zero (execution data = abi.encode(Call[])).
var erc7821BatchMode = [32]byte{0x01}

// erc7821Call is one call of an ERC-7821 batch, as abi.encode packs
// struct Call {address to; uint256 value; bytes data;}.
type erc7821Call struct {
	To    common.Address
	Value *big.Int
	Data  []byte
}

// ParseSendCalls reads EIP-5792 wallet_sendCalls params, [{version, id?,
// from?, chainId, atomicRequired, calls: [{to?, value?, data?,
// capabilities?}], capabilities?}], as the ERC-7821 batch the account
// runs: execute(batch mode, abi.encode(calls)) on "from", decoded at
// CallPath, so each call is opened and judged. A call without "to" is a
// contract creation and is read as one.
func ParseSendCalls(params []json.RawMessage, d *calldata.Decoder) (*Op, error) {
	if len(params) != 1 {
		return nil, fmt.Errorf("account: wallet_sendCalls takes one object in its params; have %d params", len(params))
	}
	if err := jsonkey.Check(params[0], slices.Concat(sendCallsKeys, callKeys)...); err != nil {
		return nil, fmt.Errorf("account: wallet_sendCalls: %v", err)
	}
	o, err := parseObject("wallet_sendCalls", params[0])
	if err != nil {
		return nil, err
	}
	version, _, err := o.str("version", true)
	if err != nil {
		return nil, err
	}
	chainID, err := o.quantity("chainId", 256, true)
	if err != nil {
		return nil, err
	}
	from, err := o.address("from", false)
	if err != nil {
		return nil, err
	}
	atomic, hasAtomic, err := o.boolean("atomicRequired")
	if err != nil {
		return nil, err
	}
	if !o.has("calls") {
		return nil, o.missing("calls")
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(o.m["calls"], &raws); err != nil {
		return nil, o.errorf("calls", "want an array of calls, have %s", kind(o.m["calls"]))
	}
	switch {
	case len(raws) == 0:
		return nil, o.errorf("calls", "the batch has no calls")
	case len(raws) > MaxCalls:
		return nil, o.errorf("calls", "%d calls; txguard reads at most %d in one batch", len(raws), MaxCalls)
	}

	chain := uint64(0)
	if chainID.IsUint64() {
		chain = chainID.Uint64()
	}
	r := newReader(d, chain)
	op := &Op{
		Kind:     KindCalls,
		Standard: fmt.Sprintf("EIP-5792 wallet_sendCalls (version %q)", clip.Cut(version, 32)),
		ChainID:  chainID.String(),
	}
	var account common.Address
	if from != nil {
		account = *from
	} else {
		op.note("no \"from\": the wallet picks the account the calls run from")
	}
	op.Account = r.addr(account)

	calls := make([]erc7821Call, len(raws))
	// What calls share is noted once, so notes stay few in a long batch.
	var creations []int
	extraKeys, callCaps := map[string]bool{}, map[string]bool{}
	for i, raw := range raws {
		c, err := parseObject(fmt.Sprintf("wallet_sendCalls calls[%d]", i), raw)
		if err != nil {
			return nil, err
		}
		to, err := c.address("to", false)
		if err != nil {
			return nil, err
		}
		value, err := c.quantity("value", 256, false)
		if err != nil {
			return nil, err
		}
		data, err := c.bytes("data", false)
		if err != nil {
			return nil, err
		}
		// EIP-5792 names calldata "data"; a wallet that also takes a
		// transaction's "input" could run what no one judged.
		if c.has("input") {
			return nil, c.errorf("input", "EIP-5792 calls carry calldata in \"data\"; a wallet might read \"input\" instead, so the request is refused")
		}
		calls[i] = erc7821Call{Value: orZero(value), Data: data}
		if to == nil {
			creations = append(creations, i)
		} else {
			calls[i].To = *to
		}
		for _, k := range c.unknown(callKeys) {
			extraKeys[k] = true
		}
		for _, k := range capabilityNames(c) {
			callCaps[k] = true
		}
	}
	executionData, err := erc7821Calls().Pack(calls)
	if err != nil {
		return nil, fmt.Errorf("account: encoding the batch: %v", err)
	}
	input, err := erc7821Execute().call(erc7821BatchMode, executionData)
	if err != nil {
		return nil, err
	}
	op.Call = r.decode(&account, nil, input)
	// ERC-7821 reads a zero "to" as the account itself; a call without
	// "to" is a creation, so it is read as one at the same path.
	for _, i := range creations {
		if i < len(op.Call.Calls) {
			c := op.Call.Calls[i]
			op.Call.Calls[i] = r.d.DecodeAt(c.Path, nil, calls[i].Value, calls[i].Data)
			op.Call.Calls[i].Operation = c.Operation
		}
	}
	if len(creations) > 0 {
		op.note("calls without \"to\" deploy a contract from their data: %s", indexList(creations))
	}
	if len(extraKeys) > 0 {
		op.note("calls have keys that are not call fields: %s", list(sortedKeys(extraKeys)))
	}
	if len(callCaps) > 0 {
		op.note("calls ask the wallet for capabilities %s, carried out by the wallet and not read here", list(sortedKeys(callCaps)))
	}

	switch {
	case !hasAtomic:
		op.note("no atomicRequired: the wallet decides whether the calls run all or none")
	case !atomic:
		op.note("atomicRequired is false: the wallet may run the calls one by one, so some may happen and others fail")
	}
	if caps := capabilityNames(o); len(caps) > 0 {
		op.note("the batch asks the wallet for capabilities %s, carried out by the wallet and not read here", list(caps))
	}
	if extra := o.unknown(sendCallsKeys); len(extra) > 0 {
		op.note("keys that are not wallet_sendCalls fields: %s", list(extra))
	}
	return op, nil
}

// capabilityNames lists what the dapp asks of the wallet beyond the calls
// (a paymaster service, auxiliary funds...): each may change who pays or
// what runs, and the wallet, not the calls, carries it out. A value that
// is not an object, which a wallet refuses, is listed as such.
func capabilityNames(o object) []string {
	if !o.has("capabilities") {
		return nil
	}
	var caps map[string]json.RawMessage
	if err := json.Unmarshal(o.m["capabilities"], &caps); err != nil {
		return []string{"(capabilities that are " + kind(o.m["capabilities"]) + ", not an object)"}
	}
	return sortedKeys(caps)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// indexList names calls by index, the first few of many.
func indexList(idx []int) string {
	const show = 8
	var b strings.Builder
	for n, i := range idx[:min(len(idx), show)] {
		if n > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "calls[%d]", i)
	}
	if len(idx) > show {
		fmt.Fprintf(&b, " and %d more", len(idx)-show)
	}
	return b.String()
}
