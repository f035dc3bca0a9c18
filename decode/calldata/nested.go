package calldata

import (
	"fmt"
	"math/big"
	"reflect"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// opener decodes the calls a container call carries into c.Calls.
type opener func(d *Decoder, c *Call, depth int)

// containers maps the canonical signature of every call that carries
// other calls to the code that opens it. Keyed by signature, not by ABI
// family: a multicall is a multicall whoever deployed it.
var containers map[string]opener

func init() {
	// Multicall3 and friends: arrays of (target, ..., callData) tuples.
	containers = map[string]opener{
		"multicall(bytes[])":         selfCalls(0),
		"multicall(uint256,bytes[])": selfCalls(1),
		"multicall(bytes32,bytes[])": selfCalls(1),

		"aggregate((address,bytes)[])":                    tupleCalls(0, 0, -1, 1),
		"tryAggregate(bool,(address,bytes)[])":            tupleCalls(1, 0, -1, 1),
		"blockAndAggregate((address,bytes)[])":            tupleCalls(0, 0, -1, 1),
		"tryBlockAndAggregate(bool,(address,bytes)[])":    tupleCalls(1, 0, -1, 1),
		"aggregate3((address,bool,bytes)[])":              tupleCalls(0, 0, -1, 2),
		"aggregate3Value((address,bool,uint256,bytes)[])": tupleCalls(0, 0, 2, 3),

		// Safe: the operation argument says call or delegatecall.
		"execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)": safeExec,
		"execTransactionFromModule(address,uint256,bytes,uint8)":                                     safeExec,
		"multiSend(bytes)": multiSend,
		// Safe4337Module: a UserOperation's callData on the Safe, which the
		// module (its fallback handler) runs with the given operation.
		"executeUserOp(address,uint256,bytes,uint8)": safeExec,
		// Kernel v2: execute(to, value, data, operation), 1 = delegatecall.
		"execute(address,uint256,bytes,uint8)": safeExec,
		// ERC-7579 modules executing through the account: the same modes.
		"executeFromExecutor(bytes32,bytes)":                        erc7821Execute,
		"executeUserOpWithErrorString(address,uint256,bytes,uint8)": safeExec,

		"execute(bytes,bytes[])":         routerExecute,
		"execute(bytes,bytes[],uint256)": routerExecute,
		"execute(bytes32,bytes)":         erc7821Execute,

		// Smart accounts (SimpleAccount, Kernel, Coinbase Smart Wallet...).
		"execute(address,uint256,bytes)":            single(0, 1, 2, OpCall),
		"executeBatch(address[],bytes[])":           parallel(0, -1, 1),
		"executeBatch(address[],uint256[],bytes[])": parallel(0, 1, 2),
		"executeBatch((address,uint256,bytes)[])":   tupleCalls(0, 0, 1, 2),

		// ERC-4337 bundles: each operation's callData runs on its sender.
		"handleOps((address,uint256,bytes,bytes,uint256,uint256,uint256,uint256,uint256,bytes,bytes)[],address)": tupleCalls(0, 0, -1, 3),
		"handleOps((address,uint256,bytes,bytes,bytes32,uint256,bytes32,bytes,bytes)[],address)":                 tupleCalls(0, 0, -1, 3),

		// Upgrades that call the new implementation in the proxy's context.
		"upgradeToAndCall(address,bytes)":       single(0, -1, 1, OpDelegateCall),
		"upgradeAndCall(address,address,bytes)": single(1, -1, 2, OpDelegateCall),
	}
}

// selfCalls opens multicall(bytes[]): each element is a call to the same
// contract, sharing the outer call's value.
func selfCalls(arg int) opener {
	return func(d *Decoder, c *Call, depth int) {
		if arg >= len(c.Args) {
			return
		}
		var self *common.Address
		if c.Target != nil {
			self = &c.Target.Address
		}
		c.Args[arg].Carries = true
		for i := range c.Args[arg].Elems {
			e := &c.Args[arg].Elems[i]
			if !d.childOf(c, e, self, nil, "", e.Bytes(), depth) {
				return
			}
		}
	}
}

// tupleCalls opens an array of tuples; the indices say which member is the
// target, the value (-1: none) and the calldata.
func tupleCalls(arg, target, value, data int) opener {
	return func(d *Decoder, c *Call, depth int) {
		if arg >= len(c.Args) {
			return
		}
		c.Args[arg].Carries = true
		for i := range c.Args[arg].Elems {
			e := &c.Args[arg].Elems[i]
			if len(e.Elems) <= max(target, value, data) {
				continue
			}
			var v *big.Int
			if value >= 0 {
				v = e.Elems[value].big
			}
			if !d.childOf(c, &e.Elems[data], e.Elems[target].addr(), v, "", e.Elems[data].Bytes(), depth) {
				return
			}
		}
	}
}

// single opens one (target, value, data) call held in plain arguments.
func single(target, value, data int, op string) opener {
	return func(d *Decoder, c *Call, depth int) {
		if max(target, value, data) >= len(c.Args) {
			return
		}
		var v *big.Int
		if value >= 0 {
			v = c.Args[value].big
		}
		c.Args[data].Carries = true
		d.childOf(c, &c.Args[data], c.Args[target].addr(), v, op, c.Args[data].Bytes(), depth)
	}
}

// parallel opens parallel arrays of targets, values (-1: none) and data.
func parallel(targets, values, data int) opener {
	return func(d *Decoder, c *Call, depth int) {
		if max(targets, values, data) >= len(c.Args) {
			return
		}
		ts, ds := c.Args[targets].Elems, c.Args[data].Elems
		if len(ts) != len(ds) || values >= 0 && len(c.Args[values].Elems) != len(ts) {
			c.Error = fmt.Sprintf("batch arrays differ in length (%d targets, %d calldata)", len(ts), len(ds))
			return
		}
		c.Args[data].Carries = true
		for i := range ts {
			var v *big.Int
			if values >= 0 {
				v = c.Args[values].Elems[i].big
			}
			if !d.childOf(c, &ds[i], ts[i].addr(), v, "", ds[i].Bytes(), depth) {
				return
			}
		}
	}
}

func safeExec(d *Decoder, c *Call, depth int) {
	if len(c.Args) < 4 {
		return
	}
	c.Args[2].Carries = true
	d.childOf(c, &c.Args[2], c.Args[0].addr(), c.Args[1].big, operation(c.Args[3].big), c.Args[2].Bytes(), depth)
}

func operation(v *big.Int) string {
	switch {
	case v == nil || v.Sign() == 0:
		return OpCall
	case v.Cmp(big.NewInt(1)) == 0:
		return OpDelegateCall
	}
	return "unknown operation " + v.String()
}

// multiSend opens Safe's packed batch: for each transaction
// operation (1 byte) | to (20) | value (32) | data length (32) | data.
func multiSend(d *Decoder, c *Call, depth int) {
	if len(c.Args) < 1 {
		return
	}
	b := c.Args[0].Bytes()
	c.Args[0].Carries = true
	for off := 0; off < len(b); {
		if len(b)-off < 85 {
			c.Error = fmt.Sprintf("MultiSend batch truncated at byte %d: %d bytes left, a transaction header needs 85", off, len(b)-off)
			return
		}
		op := new(big.Int).SetUint64(uint64(b[off]))
		to := common.BytesToAddress(b[off+1 : off+21])
		value := new(big.Int).SetBytes(b[off+21 : off+53])
		n := new(big.Int).SetBytes(b[off+53 : off+85])
		off += 85
		if !n.IsInt64() || n.Int64() > int64(len(b)-off) {
			c.Error = fmt.Sprintf("MultiSend transaction at byte %d claims %s bytes of data; %d are left", off-85, n, len(b)-off)
			return
		}
		data := b[off : off+int(n.Int64())]
		off += int(n.Int64())
		if !d.child(c, &to, value, operation(op), data, depth) {
			return
		}
	}
}

// ERC-7821 execution data layouts, built on first use: abi.NewType builds
// tuple types with reflect.StructOf, which costs milliseconds at start-up.
var (
	erc7821Calls   = sync.OnceValue(func() abi.Arguments { return mustArgs("(address,uint256,bytes)[]") })
	erc7821CallsOp = sync.OnceValue(func() abi.Arguments { return mustArgs("(address,uint256,bytes)[]", "bytes") })
	erc7821Batches = sync.OnceValue(func() abi.Arguments { return mustArgs("bytes[]") })
)

// ERC-7821 execution modes (bytes 0 and 6-9 of the mode word).
var (
	modePlain         = [4]byte{0, 0, 0, 0}
	modeWithOpData    = [4]byte{0x78, 0x21, 0x00, 0x01}
	modeBatchOfBatchs = [4]byte{0x78, 0x21, 0x00, 0x02}
)

func erc7821Execute(d *Decoder, c *Call, depth int) {
	if len(c.Args) < 2 || len(c.Args[0].Bytes()) != 32 {
		return
	}
	mode := c.Args[0].Bytes()
	data := c.Args[1].Bytes()
	switch mode[0] {
	case 0x01: // batch (ERC-7821 and ERC-7579)
		d.erc7821Batch(c, [4]byte(mode[6:10]), data, depth)
		// Bytes that did not decode are not "decoded below": shown as hex.
		c.Args[1].Carries = c.Error == ""
	case 0x00: // ERC-7579 single call: target(20) || value(32) || callData
		if len(data) < 52 {
			c.Error = fmt.Sprintf("ERC-7579 single-call execution data is %d bytes, shorter than target and value", len(data))
			return
		}
		c.Args[1].Carries = true
		target := common.BytesToAddress(data[:20])
		d.child(c, &target, new(big.Int).SetBytes(data[20:52]), OpCall, data[52:], depth)
	case 0xff: // ERC-7579 delegatecall: target(20) || callData
		if len(data) < 20 {
			c.Error = fmt.Sprintf("ERC-7579 delegatecall execution data is %d bytes, shorter than a target", len(data))
			return
		}
		c.Args[1].Carries = true
		target := common.BytesToAddress(data[:20])
		d.child(c, &target, nil, OpDelegateCall, data[20:], depth)
	default:
		c.Error = fmt.Sprintf("ERC-7821/7579 call type 0x%02x is not one txguard opens (batch 0x01, single 0x00, delegatecall 0xff)", mode[0])
	}
}

func (d *Decoder) erc7821Batch(c *Call, sel [4]byte, data []byte, depth int) {
	var args abi.Arguments
	switch sel {
	case modePlain:
		args = erc7821Calls()
	case modeWithOpData:
		args = erc7821CallsOp()
	case modeBatchOfBatchs:
		vals, over, err := d.unpack(erc7821Batches(), data)
		if over {
			return
		}
		if err != nil {
			c.Error = "ERC-7821 batch of batches does not decode: " + err.Error()
			return
		}
		for _, batch := range vals[0].([][]byte) {
			if d.erc7821Batch(c, modeWithOpData, batch, depth); d.budget.over {
				return
			}
		}
		return
	default:
		c.Error = fmt.Sprintf("ERC-7821 mode selector 0x%x is not known", sel)
		return
	}
	vals, over, err := d.unpack(args, data)
	if err != nil && sel == modeWithOpData {
		// Inside a batch of batches, opData is optional.
		vals, over, err = d.unpack(erc7821Calls(), data)
	}
	if over {
		return
	}
	if err != nil {
		c.Error = "ERC-7821 execution data does not decode: " + err.Error()
		return
	}
	calls := d.toArg("calls", args[0].Type, reflect.ValueOf(vals[0]))
	for _, e := range calls.Elems {
		if !d.child(c, e.Elems[0].addr(), e.Elems[1].big, "", e.Elems[2].Bytes(), depth) {
			return
		}
	}
}

// mustArgs builds unnamed ABI arguments from type strings; tuple types are
// written as "(t1,t2,...)" and "(t1,...)[]".
func mustArgs(types ...string) abi.Arguments {
	out := make(abi.Arguments, len(types))
	for i, s := range types {
		t, err := parseType(s)
		if err != nil {
			panic(err)
		}
		out[i] = abi.Argument{Type: t}
	}
	return out
}

// parseType parses a Solidity type, tuples included, via go-ethereum's
// selector parser: "f(T)" yields T's marshalling.
func parseType(s string) (abi.Type, error) {
	sel, err := abi.ParseSelector("f(" + s + ")")
	if err != nil {
		return abi.Type{}, err
	}
	in := sel.Inputs[0]
	return abi.NewType(in.Type, "", in.Components)
}
