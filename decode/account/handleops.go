package account

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
)

// handleOpsFields are, per handleOps signature, the EntryPoint version its
// tuple stands for and the positions of initCode and paymasterAndData.
var handleOpsFields = map[string]struct {
	version          string
	initCode, paymAD int
}{
	"handleOps((address,uint256,bytes,bytes,uint256,uint256,uint256,uint256,uint256,bytes,bytes)[],address)": {"0.6", 2, 9},
	"handleOps((address,uint256,bytes,bytes,bytes32,uint256,bytes32,bytes,bytes)[],address)":                 {"0.7", 2, 7},
}

// IsHandleOps reports an EntryPoint handleOps call, whose operations
// HandleOpsUnread reads.
func IsHandleOps(call *calldata.Call) bool {
	_, ok := handleOpsFields[call.Signature]
	return ok
}

// HandleOpsUnread lists what the operations of an EntryPoint handleOps
// call (a bundler's transaction) hold that no rule reads: each operation's
// factory and setup data and its paymaster's data, as Op.Unread says of an
// operation signed on its own. The decoder opens the operations' callData
// as nested calls; their initCode and paymasterAndData are read only here,
// so that a bundle does not pass for read in full when they are not.
func HandleOpsUnread(call *calldata.Call, lab *label.Labeler) []UnreadPart {
	f, ok := handleOpsFields[call.Signature]
	if !ok || len(call.Args) == 0 {
		return nil
	}
	version := f.version
	if call.Target != nil {
		if v, ok := entryPoints[call.Target.Address]; ok {
			version = v
		}
	}
	if lab == nil {
		lab = label.New(0, nil)
	}
	r := reader{d: calldata.New(nil).WithLabels(lab), lab: lab}
	var out []UnreadPart
	more := 0 // parts past maxUnreadCalls: a bundle may hold thousands of operations
	for i, e := range call.Args[0].Elems {
		if len(e.Elems) <= max(f.initCode, f.paymAD) {
			continue
		}
		if len(out) >= maxUnreadCalls {
			more += len(unreadOf(r, e, f.initCode, f.paymAD, version))
			continue
		}
		_, knownFactory := KnownFactories[factoryOf(e.Elems[f.initCode].Bytes())]
		for _, u := range unreadOf(r, e, f.initCode, f.paymAD, version) {
			out = append(out, UnreadPart{
				Path:  call.Path + ".args.ops[" + strconv.Itoa(i) + "]",
				What:  u,
				Minor: knownFactory && strings.HasPrefix(u, "factory "),
			})
		}
	}
	if more > 0 {
		out = append(out, UnreadPart{Path: call.Path + ".args.ops", What: fmt.Sprintf("and %d more parts of the bundle's operations not read", more)})
	}
	return out
}

// factoryOf is the factory an initCode names (zero when it names none).
func factoryOf(initCode []byte) common.Address {
	if len(initCode) < 20 {
		return common.Address{}
	}
	return common.Address(initCode[:20])
}

// unreadOf is what one operation of a bundle holds that no rule reads.
func unreadOf(r reader, e calldata.Arg, initCode, paymAD int, version string) []string {
	op := &Op{}
	op.setInitCode(r, e.Elems[initCode].Bytes(), version)
	op.setPaymaster(r, e.Elems[paymAD].Bytes(), version, false)
	return op.Unread()
}

// UnreadPart is a part of an operation no rule read.
type UnreadPart struct {
	Path, What string
	// Minor: the setup data of a factory everybody uses (it says who owns
	// the new account), not an unknown contract's.
	Minor bool
}
