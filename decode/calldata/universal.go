package calldata

import (
	"fmt"
	"slices"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// Universal Router command bytes: the top bit lets the batch go on when
// the command reverts; the rest picks the command. Routers 1.x and 2.0 mask
// with 0x3f, 2.1 with 0x7f (it added ACROSS_V4_DEPOSIT_V3 at 0x40).
const (
	urAllowRevert = 0x80
	urMask20      = 0x3f
	urMask21      = 0x7f
	urSubPlan     = 0x21 // EXECUTE_SUB_PLAN, the same in every version
)

// routersV1 are Universal Router v1.2 deployments, whose commands 0x10 and
// up are NFT marketplace calls; every other router speaks the 2.x (V4)
// table. (The retired 1.0/1.1 router had yet another layout and is not
// decoded as a Universal Router.)
var routersV1 = map[common.Address]bool{
	common.HexToAddress("0x3fC91A3afd70395Cd496C647d5a6CC9D4B2b7FAD"): true,
}

type urArgs struct {
	name string
	args abi.Arguments
}

// urTable is one router version's commands, each command's ABI arguments
// parsed on its first use: a process decoding one swap reads two or three
// commands, and parsing all sixty was a twentieth of its run.
type urTable struct {
	cmds map[byte]urCommand
	once [256]sync.Once
	args [256]urArgs
}

var urTableV1, urTableV2 = &urTable{cmds: urCommandsV1}, &urTable{cmds: urCommandsV2}

// get returns the command with this (masked) byte.
func (t *urTable) get(b byte) (urArgs, bool) {
	cmd, ok := t.cmds[b]
	if !ok {
		return urArgs{}, false
	}
	t.once[b].Do(func() { t.args[b] = buildURArgs(cmd) })
	return t.args[b], true
}

func buildURArgs(cmd urCommand) urArgs {
	if cmd.inputs == nil {
		return urArgs{name: cmd.name}
	}
	args := make(abi.Arguments, len(cmd.inputs))
	for i, in := range cmd.inputs {
		t, err := abi.NewType(in.typ, "", marshalling(in.components))
		if err != nil {
			panic(fmt.Sprintf("calldata: Universal Router command %s input %s: %v", cmd.name, in.name, err))
		}
		args[i] = abi.Argument{Name: in.name, Type: t}
	}
	return urArgs{cmd.name, args}
}

func marshalling(in []urInput) []abi.ArgumentMarshaling {
	if len(in) == 0 {
		return nil
	}
	out := make([]abi.ArgumentMarshaling, len(in))
	for i, c := range in {
		out[i] = abi.ArgumentMarshaling{Name: c.name, Type: c.typ, Components: marshalling(c.components)}
	}
	return out
}

// routerExecute opens execute(commands, inputs[, deadline]).
func routerExecute(d *Decoder, c *Call, depth int) {
	if len(c.Args) < 2 {
		return
	}
	d.routerCommands(c, &c.Args[0], &c.Args[1], depth)
}

// routerCommands decodes the commands (bytes) and their inputs (bytes[])
// into c's calls. Each input a command call was made for is shown by it;
// the commands are when every one of them was.
func (d *Decoder) routerCommands(c *Call, cmds, inputs *Arg, depth int) {
	commands := cmds.Bytes()
	if len(commands) != len(inputs.Elems) {
		c.Error = fmt.Sprintf("Universal Router: %d commands but %d inputs", len(commands), len(inputs.Elems))
		return
	}
	cmds.Carries, inputs.Carries = true, true
	isV1 := c.Target != nil && routersV1[c.Target.Address]
	table := urTableV2
	if isV1 {
		table = urTableV1
	}
	c.Calls = slices.Grow(c.Calls, len(commands))
	// The calls are allocated a few at a time: one allocation for a
	// swap's commands, and no more than the budget lets be decoded for an
	// input that claims a million.
	var subs []Call
	for i, cmd := range commands {
		if !d.budget.take(callUnits) {
			return
		}
		if len(subs) == 0 {
			subs = make([]Call, min(len(commands)-i, 8))
		}
		sub := &subs[0]
		subs = subs[1:]
		*sub = Call{
			Path:        childPath(c.Path, len(c.Calls)),
			Kind:        KindCommand,
			Target:      c.Target,
			AllowRevert: cmd&urAllowRevert != 0,
			Source:      "universal-router",
		}
		c.Calls = append(c.Calls, sub)
		input := &inputs.Elems[i]
		if d.command(sub, cmd, table, isV1, input.Bytes(), depth); d.budget.over {
			// The command that crossed the budget, or held the one that did.
			d.budget.mark(sub)
			return
		}
		input.asCalls = true
	}
	cmds.asCalls = true
}

// command decodes one command's input into sub.
func (d *Decoder) command(sub *Call, cmd byte, table *urTable, isV1 bool, input []byte, depth int) {
	key := cmd & urMask21
	if isV1 {
		key = cmd & urMask20
	}
	entry, ok := table.get(key)
	if !ok {
		sub.Name = fmt.Sprintf("command 0x%02x", key)
		d.keep(sub, input, "unknown Universal Router command")
		return
	}
	sub.Name = entry.name
	if !isV1 && key != cmd&urMask20 {
		// A 2.0 router ignores bit 0x40 and would run another command.
		sub.Error = fmt.Sprintf("%s on Universal Router 2.1; a 2.0 router reads this byte as command 0x%02x", entry.name, cmd&urMask20)
	}
	if depth+1 > MaxDepth {
		d.keep(sub, input, fmt.Sprintf("nested deeper than %d levels; not decoded", MaxDepth))
		return
	}
	if entry.args == nil {
		// The position-manager commands forward raw calldata.
		d.child(sub, nil, nil, "", input, depth+1)
		return
	}
	args, over, err := d.unpackArgs(entry.args, input)
	if over {
		return
	}
	if err != nil {
		d.keep(sub, input, "inputs do not decode: "+err.Error())
		return
	}
	sub.Args = args
	d.annotate(sub)
	if key == urSubPlan && len(sub.Args) == 2 {
		d.routerCommands(sub, &sub.Args[0], &sub.Args[1], depth+1)
	}
	finishArgs(sub.Args)
}
