package node

import (
	"cmp"
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/txguard/txguard/guard"
)

// The fallback for a node without eth_simulateV1: debug_traceCall with
// geth's callTracer and its logs, for a single call. The frames' values
// are the native moves that traceTransfers would have logged.

// frame is one callTracer frame (eth/tracers/native/call.go).
type frame struct {
	Type         string         `json:"type"`
	From         common.Address `json:"from"`
	To           common.Address `json:"to"`
	Value        *hexutil.Big   `json:"value"`
	GasUsed      hexutil.Uint64 `json:"gasUsed"`
	Output       hexutil.Bytes  `json:"output"`
	Error        string         `json:"error"`
	RevertReason string         `json:"revertReason"`
	Logs         []traceLog     `json:"logs"`
	Calls        []frame        `json:"calls"`
}

type traceLog struct {
	Address common.Address `json:"address"`
	Topics  []common.Hash  `json:"topics"`
	Data    hexutil.Bytes  `json:"data"`
}

type traced struct {
	call guard.SimCall
	logs []*types.Log
}

// maxFrames bounds the frames walked.
const maxFrames = 4096

func (c *Client) trace(ctx context.Context, p plan, block string) (traced, error) {
	cfg := map[string]any{"tracer": "callTracer", "tracerConfig": map[string]any{"withLog": true}}
	if len(p.overrides) > 0 {
		cfg["stateOverrides"] = overrideArg(&p)
	}
	var top frame
	if err := c.rpc.CallContext(ctx, &top, "debug_traceCall", callArg(p.calls[0]), block, cfg); err != nil {
		return traced{}, err
	}
	t := traced{call: guard.SimCall{Path: p.paths[0], Success: top.Error == "", GasUsed: uint64(top.GasUsed)}}
	if !t.call.Success {
		t.call.Revert = revertReason(top.Output, cmp.Or(top.RevertReason, top.Error))
		return t, nil
	}
	n := 0
	var walk func(f *frame)
	walk = func(f *frame) {
		if n++; n > maxFrames || f.Error != "" {
			return // a reverted frame moved nothing
		}
		if f.Value != nil && f.Value.ToInt().Sign() > 0 && f.Type != "DELEGATECALL" && f.Type != "STATICCALL" {
			t.logs = append(t.logs, nativeLog(f.From, f.To, f.Value.ToInt()))
		}
		for _, l := range f.Logs {
			t.logs = append(t.logs, &types.Log{Address: l.Address, Topics: l.Topics, Data: l.Data})
		}
		for i := range f.Calls {
			walk(&f.Calls[i])
		}
	}
	walk(&top)
	return t, nil
}

// nativeLog is a native move in the shape traceTransfers logs it.
func nativeLog(from, to common.Address, v *big.Int) *types.Log {
	return &types.Log{Address: nativeTransferLogger,
		Topics: []common.Hash{topicTransfer, common.BytesToHash(from.Bytes()), common.BytesToHash(to.Bytes())},
		Data:   common.LeftPadBytes(v.Bytes(), 32)}
}
