package node

import (
	"context"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// head is the block a simulation runs on top of.
type head struct {
	number   uint64
	baseFee  *big.Int // nil before London
	gasLimit uint64
	miner    common.Address
	mix      common.Hash
}

// next is the block the simulated calls run in, made to look like the
// real next one where it can be known: the parent's base fee, coinbase
// and randomness rather than zeros (the node sets the time, as it knows
// its chain's block spacing). A drainer that checks block.basefee,
// block.coinbase or tx.gasprice for zero to tell a simulation from the
// real thing sees real values.
func (h head) next() *ethereum.BlockOverrides {
	return &ethereum.BlockOverrides{Coinbase: h.miner, Random: h.mix, BaseFee: h.baseFee}
}

// fallbackTip is the tip when the node does not suggest one.
var fallbackTip = big.NewInt(1e9)

// head reads the block to simulate on (--block, else the latest), gives
// the plan's calls the fees a wallet would set (the request's own, else
// twice the base fee plus a tip) and, for a call that does not give its
// gas, the gas a wallet would estimate. A drainer that acts only with
// little gas left, or only when a gas price is paid, acts in the
// simulation too.
func (c *Client) head(ctx context.Context, p *plan) (head, error) {
	var blk struct {
		Number   hexutil.Uint64 `json:"number"`
		BaseFee  *hexutil.Big   `json:"baseFeePerGas"`
		GasLimit hexutil.Uint64 `json:"gasLimit"`
		Miner    common.Address `json:"miner"`
		Mix      common.Hash    `json:"mixHash"`
	}
	var tip hexutil.Big
	tag := "latest"
	if c.cfg.Block != nil {
		tag = hexutil.EncodeUint64(*c.cfg.Block)
	}
	// The tip is the node's suggestion, as wallets take it: a fixed one
	// would be a fingerprint of the simulation.
	var code hexutil.Bytes
	batch := []rpc.BatchElem{{Method: "eth_getBlockByNumber", Args: []any{tag, false}, Result: &blk},
		{Method: "eth_maxPriorityFeePerGas", Result: &tip}}
	if p.contract {
		batch = append(batch, rpc.BatchElem{Method: "eth_getCode", Args: []any{p.account, tag}, Result: &code})
	}
	if err := c.rpc.BatchCallContext(ctx, batch); err != nil {
		return head{}, errors.New(Reason(err, c.cfg.Timeout))
	}
	if err := batch[0].Error; err != nil {
		return head{}, errors.New("eth_getBlockByNumber: " + Reason(err, c.cfg.Timeout))
	}
	if c.cfg.Block != nil && uint64(blk.Number) != *c.cfg.Block {
		return head{}, errors.New("the node has no block " + hexutil.EncodeUint64(*c.cfg.Block) + " (--block)")
	}
	h := head{number: uint64(blk.Number), gasLimit: uint64(blk.GasLimit), miner: blk.Miner, mix: blk.Mix}
	if blk.BaseFee != nil {
		h.baseFee = blk.BaseFee.ToInt()
	}
	if p.contract && batch[2].Error == nil {
		p.forward(code, p.origin)
	}
	if !p.fees {
		return h, nil
	}
	suggested := fallbackTip
	if batch[1].Error == nil && tip.ToInt().Sign() > 0 {
		suggested = tip.ToInt()
	}
	for i := range p.calls {
		m := &p.calls[i]
		if m.GasPrice == nil && m.GasFeeCap == nil && h.baseFee != nil {
			m.GasTipCap = suggested
			m.GasFeeCap = new(big.Int).Add(new(big.Int).Mul(h.baseFee, big.NewInt(2)), suggested)
		}
		if h.gasLimit > 0 && m.Gas > h.gasLimit {
			m.Gas = h.gasLimit // a wallet caps at the block; the node refuses more
		}
	}
	// The gas a wallet would give, estimated with the fees it would pay:
	// a contract estimated without a gas price may take another path.
	var est []rpc.BatchElem
	var at []int
	for i, m := range p.calls {
		if m.Gas != 0 {
			continue
		}
		args := []any{callArg(m), hexutil.EncodeUint64(h.number)}
		if len(p.overrides) > 0 {
			args = append(args, overrideArg(p))
		}
		est, at = append(est, rpc.BatchElem{Method: "eth_estimateGas", Args: args, Result: new(hexutil.Uint64)}), append(at, i)
	}
	if len(est) == 0 {
		return h, nil
	}
	p.rounds++
	if err := c.rpc.BatchCallContext(ctx, est); err != nil {
		return head{}, errors.New("eth_estimateGas: " + Reason(err, c.cfg.Timeout))
	}
	for k, e := range est {
		m := &p.calls[at[k]]
		if e.Error != nil {
			// It reverts, most likely: run it with the block's gas and no
			// fee, so that the revert shows rather than a shortfall.
			m.GasFeeCap, m.GasTipCap, m.GasPrice = nil, nil, nil
			continue
		}
		// A wallet adds a margin to the estimate; so does the simulation,
		// within the block's limit.
		g := uint64(*e.Result.(*hexutil.Uint64))
		m.Gas = g + g/5
		if h.gasLimit > 0 && m.Gas > h.gasLimit {
			m.Gas = h.gasLimit
		}
	}
	return h, nil
}

// callArg is a call as JSON-RPC takes it.
func callArg(m ethereum.CallMsg) map[string]any {
	arg := map[string]any{"from": m.From, "to": m.To, "input": hexutil.Bytes(m.Data)}
	if m.Value != nil {
		arg["value"] = (*hexutil.Big)(m.Value)
	}
	if m.Gas != 0 {
		arg["gas"] = hexutil.Uint64(m.Gas)
	}
	if m.GasFeeCap != nil {
		arg["maxFeePerGas"] = (*hexutil.Big)(m.GasFeeCap)
	}
	if m.GasTipCap != nil {
		arg["maxPriorityFeePerGas"] = (*hexutil.Big)(m.GasTipCap)
	}
	if m.GasPrice != nil {
		arg["gasPrice"] = (*hexutil.Big)(m.GasPrice)
	}
	return arg
}

// overrideArg is the plan's state overrides as JSON-RPC takes them.
func overrideArg(p *plan) map[common.Address]map[string]any {
	ov := map[common.Address]map[string]any{}
	for a, o := range p.overrides {
		ov[a] = map[string]any{"code": hexutil.Bytes(o.Code)}
	}
	return ov
}
