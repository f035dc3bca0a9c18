package node

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/guard"
)

// Result is what the node said about one input.
type Result struct {
	Sim *guard.Simulation
	// Code is the runtime code the input hands control to (a 7702
	// delegate, else the target), for the analysis inspect makes; nil when
	// there is none or it was not read.
	Code   []byte
	CodeAt common.Address
}

// Selectors of the reads made with eth_call.
var (
	selBalanceOf        = common.FromHex("0x70a08231")
	selAllowance        = common.FromHex("0xdd62ed3e")
	selIsApprovedForAll = common.FromHex("0xe985e9c5")
	selSymbol           = common.FromHex("0x95d89b41")
	selDecimals         = common.FromHex("0x313ce567")
)

// erc165 is supportsInterface(the standard's interface id).
func erc165(standard string) []byte {
	id := "80ac58cd" // ERC-721
	if standard == guard.AssetERC1155 {
		id = "d9b67a26"
	}
	return common.FromHex("0x01ffc9a7" + id + strings.Repeat("0", 56))
}

// maxTokens bounds the tokens whose metadata and balances are read.
const maxTokens = 32

// Simulate runs in on the node and reads the facts around it, in at most
// four waves of requests: the block (and a contract account's code), gas
// estimates when the input names no gas, the simulation beside one batch
// of facts, and one batch for what the simulation named. It never fails: a
// node that could not simulate gives a Simulation whose Status and Reason
// say so, and the rules' verdict stands.
func (c *Client) Simulate(ctx context.Context, in *decode.Result, cfg guard.Config) Result {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	p := planFor(in, cfg)
	sim := &guard.Simulation{Node: c.name, Account: p.account, Status: guard.SimUnavailable}
	res := Result{Sim: sim}
	if p.why != "" {
		sim.Reason = p.why
		return res
	}
	// The block to run on, pinned, and the fees and gas a wallet would
	// give the calls. A simulation that differs from the real block (no
	// base fee, no gas price, the block's whole gas, the account as
	// tx.origin) is one a contract can tell apart and behave well in.
	head, err := c.head(ctx, &p)
	sim.RoundTrips += 1 + p.rounds
	if err != nil {
		sim.Reason = err.Error()
		return res
	}
	block := hexutil.EncodeUint64(head.number)

	// The simulation beside a batch of facts.
	var (
		wg      sync.WaitGroup
		blocks  []ethclient.SimulateBlockResult
		simErr  error
		chainID hexutil.Big
		nonce   hexutil.Uint64
		balance hexutil.Big
	)
	codes := make([]hexutil.Bytes, len(p.code))
	batch := []rpc.BatchElem{
		{Method: "eth_chainId", Result: &chainID},
		{Method: "eth_getBalance", Args: []any{p.account, block}, Result: &balance},
	}
	if p.nonce {
		batch = append(batch, rpc.BatchElem{Method: "eth_getTransactionCount", Args: []any{p.account, block}, Result: &nonce})
	}
	for i, a := range p.code {
		batch = append(batch, rpc.BatchElem{Method: "eth_getCode", Args: []any{a, block}, Result: &codes[i]})
	}
	reads := newReads(block)
	for _, cl := range p.claims {
		reads.call(cl.Token, selBalanceOf, cl.Owner)
		if cl.AllowanceTo != (common.Address{}) {
			reads.call(cl.Token, selAllowance, cl.Owner, cl.AllowanceTo)
		}
		reads.meta(cl.Token)
	}
	batch = append(batch, reads.elems...)
	if len(p.calls) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ref := rpc.BlockNumberOrHashWithNumber(rpc.BlockNumber(head.number))
			blocks, simErr = c.eth.SimulateV1(ctx, ethclient.SimulateOptions{
				BlockStateCalls: []ethclient.SimulateBlock{{BlockOverrides: head.next(), StateOverrides: p.overrides, Calls: p.calls}},
				TraceTransfers:  true,
			}, &ref)
		}()
		sim.RoundTrips++
	}
	batchErr := c.rpc.BatchCallContext(ctx, batch)
	sim.RoundTrips++
	wg.Wait()
	if batchErr != nil {
		sim.Reason = Reason(batchErr, c.cfg.Timeout)
		return res
	}
	if err := batch[0].Error; err != nil {
		sim.Reason = "eth_chainId: " + Reason(err, c.cfg.Timeout)
		return res
	}
	sim.Facts.ChainID = chainID.ToInt().Uint64()
	if want := guard.ChainOf(in, cfg); want != 0 && want != sim.Facts.ChainID {
		sim.Reason = fmt.Sprintf("the node is on chain %d, the input is for chain %d", sim.Facts.ChainID, want)
		return res
	}
	if batch[1].Error == nil {
		sim.Facts.Balance = &guard.Dec{Int: balance.ToInt()}
	}
	if p.nonce && batch[2].Error == nil {
		n := uint64(nonce)
		sim.Facts.Nonce = &n
	}
	for i, a := range p.code {
		if codes[i] == nil {
			continue
		}
		f := guard.CodeFact{Address: a, Size: len(codes[i])}
		if d, ok := types.ParseDelegation(codes[i]); ok {
			f.Delegate = &d
		}
		sim.Facts.Code = append(sim.Facts.Code, f)
	}
	res.Code, res.CodeAt = analysedCode(p, codes)
	lab := label.New(sim.Facts.ChainID, nil)

	if len(p.claims) > 0 {
		sim.Status, sim.Block = guard.SimExposure, head.number
		for _, cl := range p.claims {
			e := guard.Exposure{Asset: reads.asset(lab, cl.Token, guard.AssetERC20), Owner: cl.Owner, Spender: cl.Spender, AllowanceTo: cl.AllowanceTo, Path: cl.Path}
			if cl.Amount != nil && !label.Unlimited(cl.Amount) {
				e.Signed = &guard.Dec{Int: cl.Amount}
			}
			e.Balance = reads.int(cl.Token, selBalanceOf, cl.Owner)
			if cl.AllowanceTo != (common.Address{}) {
				e.Allowance = reads.int(cl.Token, selAllowance, cl.Owner, cl.AllowanceTo)
			}
			sim.Exposure = append(sim.Exposure, e)
		}
		return res
	}

	var logs [][]*types.Log
	switch {
	case simErr == nil && len(blocks) == 1 && len(blocks[0].Calls) == len(p.calls):
		sim.Method, sim.Block = "eth_simulateV1", head.number
		for i, r := range blocks[0].Calls {
			if r.Status > 1 || r.Status == 0 && r.Error == nil && r.GasUsed == 0 {
				sim.Reason = "eth_simulateV1 answered with a malformed call result"
				return res
			}
			sc := guard.SimCall{Path: p.paths[i], Success: r.Status == 1, GasUsed: r.GasUsed}
			if !sc.Success {
				var data []byte
				if r.Error != nil {
					data = common.FromHex(r.Error.Data)
					sc.Revert = revertReason(data, r.Error.Message)
				}
			}
			sim.Calls = append(sim.Calls, sc)
			logs = append(logs, r.Logs)
		}
	case simErr == nil:
		sim.Reason = "eth_simulateV1 answered with the wrong number of results"
		return res
	case missingMethod(simErr) && len(p.calls) == 1:
		t, err := c.trace(ctx, p, block)
		sim.RoundTrips++
		if err != nil {
			if missingMethod(err) {
				sim.Reason = "the node has neither eth_simulateV1 nor debug_traceCall"
			} else {
				sim.Reason = "debug_traceCall: " + Reason(err, c.cfg.Timeout)
			}
			return res
		}
		sim.Method, sim.Block = "debug_traceCall", head.number
		sim.Calls = []guard.SimCall{{Path: p.paths[0], Success: t.call.Success, Revert: t.call.Revert, GasUsed: t.call.GasUsed}}
		logs = [][]*types.Log{t.logs}
	case missingMethod(simErr):
		sim.Reason = "the node lacks eth_simulateV1, and a batch cannot be traced in one debug_traceCall"
		return res
	default:
		sim.Reason = "eth_simulateV1: " + Reason(simErr, c.cfg.Timeout)
		if flooded(simErr) {
			// The input made the node's answer too large to read: what it
			// hides there is the input's doing.
			sim.Unreadable = sim.Reason
		}
		return res
	}
	transfers, grants, capped := effects(logs, func(a common.Address) bool {
		return lab.Addr(a).Label == "Uniswap Permit2"
	})
	if capped {
		sim.Reason = fmt.Sprintf("only the first %d logs were read", maxLogs)
		sim.Unreadable = fmt.Sprintf("the transaction emits more than %d logs", maxLogs)
	}

	// What the simulation named, read at the state it ran on.
	base := hexutil.EncodeUint64(sim.Block)
	more := newReads(base)
	for _, t := range transfers {
		if t.Asset.Standard == guard.AssetNative {
			continue
		}
		if _, listed := lab.Token(t.Asset.Token); !listed {
			more.meta(t.Asset.Token)
		}
		if t.From == p.account && t.Asset.Standard != guard.AssetERC1155 {
			more.call(t.Asset.Token, selBalanceOf, p.account)
		}
		if t.To == p.account && t.Asset.Standard != guard.AssetERC20 {
			more.raw(t.Asset.Token, erc165(t.Asset.Standard))
		}
	}
	for _, g := range grants {
		if g.Owner != p.account {
			continue
		}
		if g.Operator {
			more.call(g.Asset.Token, selIsApprovedForAll, g.Owner, g.Spender)
		} else if g.Via == "erc20" {
			more.call(g.Asset.Token, selAllowance, g.Owner, g.Spender)
		}
		if _, listed := lab.Token(g.Asset.Token); !listed {
			more.meta(g.Asset.Token)
		}
	}
	// Whether each address the account pays is a contract or an account.
	var recipients []common.Address
	for _, t := range transfers {
		if t.From == p.account && t.To != p.account && !slices.Contains(recipients, t.To) && len(recipients) < maxTokens {
			recipients = append(recipients, t.To)
		}
	}
	recipientCode := make([]hexutil.Bytes, len(recipients))
	elems := append([]rpc.BatchElem(nil), more.elems...)
	for i, a := range recipients {
		elems = append(elems, rpc.BatchElem{Method: "eth_getCode", Args: []any{a, base}, Result: &recipientCode[i]})
	}
	if len(elems) > 0 {
		sim.RoundTrips++
		if err := c.rpc.BatchCallContext(ctx, elems); err != nil {
			more, recipients = newReads(base), nil // the effects stand without names and balances
			sim.Reason = "token names and balances were not read: " + Reason(err, c.cfg.Timeout)
		}
		copy(more.elems, elems) // the answers, where the reads find them
	}
	for i, a := range recipients {
		if _, known := sim.Facts.CodeOf(a); known || elems[len(more.elems)+i].Error != nil {
			continue
		}
		f := guard.CodeFact{Address: a, Size: len(recipientCode[i])}
		if d, ok := types.ParseDelegation(recipientCode[i]); ok {
			f.Delegate = &d
		}
		sim.Facts.Code = append(sim.Facts.Code, f)
	}
	for i := range transfers {
		t := &transfers[i]
		if t.Asset.Standard != guard.AssetNative {
			t.Asset = more.asset(lab, t.Asset.Token, t.Asset.Standard)
			if t.To == p.account && t.Asset.Standard != guard.AssetERC20 {
				// A Transfer log is anyone's to emit: an NFT counts as
				// received only from a contract that says it is one.
				b := more.retRaw(t.Asset.Token, erc165(t.Asset.Standard))
				t.Asset.NotStandard = len(b) < 32 || b[31] != 1
			}
		} else {
			t.Asset.Symbol, t.Asset.Listed = lab.Native(), true
		}
	}
	for i := range grants {
		g := &grants[i]
		g.Asset = more.asset(lab, g.Asset.Token, g.Asset.Standard)
		if g.Operator {
			if v := more.int(g.Asset.Token, selIsApprovedForAll, g.Owner, g.Spender); v != nil {
				g.WasOperator = v.Sign() != 0
			}
		} else if g.Via == "erc20" {
			g.Before = more.int(g.Asset.Token, selAllowance, g.Owner, g.Spender)
		}
	}
	seen := map[string]bool{}
	for _, t := range transfers {
		if t.From != p.account || t.Asset.Standard == guard.AssetERC1155 || seen[t.Asset.Token.Hex()+t.Asset.Standard] {
			continue
		}
		seen[t.Asset.Token.Hex()+t.Asset.Standard] = true
		if t.Asset.Standard == guard.AssetNative {
			if sim.Facts.Balance != nil {
				sim.Facts.Holdings = append(sim.Facts.Holdings, guard.Holding{Asset: t.Asset, Amount: *sim.Facts.Balance})
			}
			continue
		}
		if v := more.int(t.Asset.Token, selBalanceOf, p.account); v != nil {
			sim.Facts.Holdings = append(sim.Facts.Holdings, guard.Holding{Asset: t.Asset, Amount: *v})
		}
	}
	sim.Transfers, sim.Approvals, sim.Status = transfers, grants, guard.SimOK
	return res
}

// analysedCode picks the code inspect's analysis is run on: a 7702
// delegate's (the code that controls the account), else the target's.
func analysedCode(p plan, codes []hexutil.Bytes) ([]byte, common.Address) {
	for i := len(p.code) - 1; i >= 0; i-- {
		if len(codes[i]) > 0 {
			if _, ok := types.ParseDelegation(codes[i]); !ok {
				return codes[i], p.code[i]
			}
		}
	}
	return nil, common.Address{}
}

// flooded reports whether err is a response too large to read.
func flooded(err error) bool {
	return strings.Contains(err.Error(), "in one response") || strings.Contains(err.Error(), "read limit exceeded")
}

// missingMethod reports whether the node does not serve the method.
func missingMethod(err error) bool {
	var re rpc.Error
	if errors.As(err, &re) && re.ErrorCode() == -32601 {
		return true
	}
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "does not exist") || strings.Contains(s, "not available") || strings.Contains(s, "not supported") || strings.Contains(s, "method not found")
}

// reads is a batch of eth_calls keyed by what they ask, so answers are
// found by the question.
type reads struct {
	block string
	elems []rpc.BatchElem
	index map[string]int
	toks  map[common.Address]bool
}

func newReads(block string) *reads {
	return &reads{block: block, index: map[string]int{}, toks: map[common.Address]bool{}}
}

// callData is sel(args...): a selector and address arguments.
func callData(sel []byte, args ...common.Address) []byte {
	data := append([]byte{}, sel...)
	for _, a := range args {
		data = append(data, common.LeftPadBytes(a.Bytes(), 32)...)
	}
	return data
}

// readKey is what a read is found by: its address and data.
func readKey(to common.Address, data []byte) string { return to.Hex() + common.Bytes2Hex(data) }

// call adds to.sel(args...) to the batch, once.
func (r *reads) call(to common.Address, sel []byte, args ...common.Address) {
	r.raw(to, callData(sel, args...))
}

// raw adds an eth_call of data to to, once.
func (r *reads) raw(to common.Address, data []byte) {
	k := readKey(to, data)
	if _, ok := r.index[k]; ok || len(r.elems) >= 5*maxTokens {
		return
	}
	r.index[k] = len(r.elems)
	r.elems = append(r.elems, rpc.BatchElem{Method: "eth_call",
		Args: []any{map[string]any{"to": to, "input": hexutil.Bytes(data)}, r.block}, Result: new(hexutil.Bytes)})
}

// meta asks a token's symbol and decimals.
func (r *reads) meta(token common.Address) {
	if r.toks[token] || len(r.toks) >= maxTokens {
		return
	}
	r.toks[token] = true
	r.call(token, selSymbol)
	r.call(token, selDecimals)
}

// ret is the answer to a call, nil when it failed or was not asked.
func (r *reads) ret(to common.Address, sel []byte, args ...common.Address) []byte {
	return r.retRaw(to, callData(sel, args...))
}

// retRaw is the answer to an eth_call of data to to.
func (r *reads) retRaw(to common.Address, data []byte) []byte {
	i, ok := r.index[readKey(to, data)]
	if !ok || r.elems[i].Error != nil {
		return nil
	}
	b, _ := r.elems[i].Result.(*hexutil.Bytes)
	if b == nil {
		return nil
	}
	return *b
}

// int is a call's uint256 answer.
func (r *reads) int(to common.Address, sel []byte, args ...common.Address) *guard.Dec {
	b := r.ret(to, sel, args...)
	if len(b) < 32 {
		return nil
	}
	return &guard.Dec{Int: new(big.Int).SetBytes(b[:32])}
}

// asset names a token: from the token list, else from its own answers.
func (r *reads) asset(lab *label.Labeler, token common.Address, standard string) guard.Asset {
	a := guard.Asset{Standard: standard, Token: token}
	if t, ok := lab.Token(token); ok {
		d := t.Decimals
		a.Symbol, a.Decimals, a.Listed = t.Symbol, &d, true
		return a
	}
	if l := lab.Addr(token); l.Known() {
		a.Symbol, a.Listed = l.Label, true
	} else {
		a.Symbol = tokenSymbol(r.ret(token, selSymbol))
	}
	if standard == guard.AssetERC20 {
		b := r.ret(token, selDecimals)
		if len(b) == 32 {
			if d := new(big.Int).SetBytes(b); d.Cmp(big.NewInt(77)) <= 0 {
				u := uint8(d.Uint64())
				a.Decimals = &u
			}
		}
		// A Transfer log is anyone's to emit: an unlisted "token" that
		// answers neither symbol() nor decimals() is none.
		_, asked := r.index[readKey(token, selDecimals)]
		a.NotStandard = !a.Listed && asked && b == nil && r.ret(token, selSymbol) == nil
	}
	return a
}
