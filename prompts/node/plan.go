package node

import (
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/guard"
)

// plan is what to run on the node for one input.
type plan struct {
	account common.Address // whose assets the rules follow
	calls   []ethereum.CallMsg
	paths   []string // each call's place in the decoded input
	// overrides set a 7702 authority's code to its delegation designator,
	// so its calls run the delegate's code as they will once authorized.
	overrides map[common.Address]ethereum.OverrideAccount
	claims    []guard.Claim // a signature: what to read instead
	// code are the addresses whose code to read: the target, the delegate.
	code []common.Address
	// nonce asks for the account's nonce (a transaction's is checked).
	nonce bool
	// fees: give the calls the gas and fees a wallet or relayer would
	// (see head), so that no call runs at gas price 0 or with a whole
	// block's gas, which a contract could tell from the real thing.
	fees bool
	// rounds counts the requests made while planning (gas estimates).
	rounds int
	// contract: the calls are a contract account's (see forward); origin
	// is who sends its transaction, as far as is known.
	contract bool
	origin   common.Address
	// why is the reason nothing is run, when calls and claims are empty.
	why string
}

// planFor works out the plan for a decoded input: a transaction from its
// signer; a Safe transaction, UserOperation or call batch as the calls the
// account makes (what a Safe's threshold or an EntryPoint's validation
// checks is not what is judged); a signature's claims.
func planFor(in *decode.Result, cfg guard.Config) plan {
	signer, known := guard.SignerOf(in, cfg)
	switch {
	case in.Tx != nil:
		tx := in.Tx
		if !known {
			return plan{why: "the sender is unknown (give --from)"}
		}
		p := plan{account: signer, nonce: tx.Nonce != nil, fees: true}
		msg := ethereum.CallMsg{From: signer, Data: tx.Data, Value: tx.Value.Int, AccessList: tx.AccessList}
		switch {
		case tx.MaxFeePerGas != nil:
			msg.GasFeeCap = tx.MaxFeePerGas.Int
			if tx.MaxPriorityFeePerGas != nil {
				msg.GasTipCap = tx.MaxPriorityFeePerGas.Int
			}
		case tx.GasPrice != nil:
			msg.GasPrice = tx.GasPrice.Int
		}
		if tx.To != nil {
			to := tx.To.Address
			msg.To = &to
			p.code = append(p.code, to)
		}
		if tx.Gas != nil {
			msg.Gas = *tx.Gas
		}
		p.calls, p.paths = []ethereum.CallMsg{msg}, []string{"tx"}
		for _, a := range tx.Authorizations {
			if a.Authority == nil {
				continue // an invalid signature authorizes nothing
			}
			p.delegate(a.Authority.Address, a.Delegate.Address)
		}
		return p
	case in.Op != nil:
		return opPlan(in, cfg, signer, known)
	case in.TypedData != nil:
		if cl := guard.Claims(in, cfg); len(cl) > 0 {
			return plan{account: cl[0].Owner, claims: cl}
		}
		return plan{why: "typed data " + in.TypedData.PrimaryType + " names nothing the node can run or read"}
	}
	return plan{why: "nothing to run"}
}

// delegate makes authority's code the 7702 designator of delegate (none
// for the zero address: that clears a delegation).
func (p *plan) delegate(authority, delegate common.Address) {
	if p.overrides == nil {
		p.overrides = map[common.Address]ethereum.OverrideAccount{}
	}
	code := []byte{}
	if delegate != (common.Address{}) {
		code = append([]byte{0xef, 0x01, 0x00}, delegate.Bytes()...)
		p.code = append(p.code, delegate)
	}
	p.overrides[authority] = ethereum.OverrideAccount{Code: code}
}

func opPlan(in *decode.Result, cfg guard.Config, signer common.Address, known bool) plan {
	op := in.Op
	account := op.Account.Address
	if account == (common.Address{}) {
		if !known {
			return plan{why: "the request does not say which account runs it (give --from)"}
		}
		account = signer
	}
	p := plan{account: account, code: []common.Address{account}, fees: true, contract: op.Account.Address != (common.Address{}), origin: signer}
	if op.Delegate != nil {
		p.delegate(account, op.Delegate.Address)
	}
	root := op.Call
	if root == nil {
		return plan{why: "the operation has no call"}
	}
	if len(root.Calls) == 0 {
		// The account's own function, unread: run it as its EntryPoint
		// would call it, or as itself.
		from := account
		if op.EntryPoint != nil {
			from = op.EntryPoint.Address
		}
		p.add(from, &account, nil, root.Input, root.Path)
		return p
	}
	for _, call := range root.Calls {
		switch {
		case call.Operation == calldata.OpDelegateCall && len(call.Calls) > 0:
			// MultiSend: its calls are the account's own.
			for _, in := range call.Calls {
				if in.Operation == calldata.OpDelegateCall {
					return plan{account: account, why: "a DELEGATECALL inside the batch runs other code as the account; not simulated (TG401 judges it)"}
				}
				p.addCall(account, in)
			}
		case call.Operation == calldata.OpDelegateCall:
			return plan{account: account, why: "a DELEGATECALL runs other code as the account, with its storage; not simulated (TG401 judges it)"}
		default:
			p.addCall(account, call)
		}
	}
	return p
}

func (p *plan) addCall(from common.Address, call *calldata.Call) {
	var to *common.Address // nil: a creation
	if call.Target != nil {
		a := call.Target.Address
		to = &a
	}
	p.add(from, to, call.Value, call.Input, call.Path)
}

func (p *plan) add(from common.Address, to *common.Address, value *big.Int, data []byte, path string) {
	p.calls = append(p.calls, ethereum.CallMsg{From: from, To: to, Value: value, Data: data})
	p.paths = append(p.paths, path)
	if to != nil && !slices.Contains(p.code, *to) && len(p.code) < 8 {
		p.code = append(p.code, *to)
	}
}
