package evm

import (
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
)

// Analysis is what the bytecode shows about a contract, offline: its form,
// its public functions, whether and how it delegates, and the instructions
// worth a second look. Facts only; judging them is the guard's job.
type Analysis struct {
	Form string `json:"form"`
	Size int    `json:"size"`
	// RuntimeOffset and RuntimeSize locate the runtime inside creation code;
	// for runtime code they are 0 and Size.
	RuntimeOffset int `json:"runtimeOffset"`
	RuntimeSize   int `json:"runtimeSize"`
	// Target is the fixed delegate of an EIP-1167 proxy or an EIP-7702
	// designator.
	Target   *common.Address `json:"target,omitempty"`
	Metadata *Metadata       `json:"metadata,omitempty"`
	// Selectors are the runtime's public function selectors, sorted, as
	// 0x-prefixed lowercase hex ("0xa9059cbb").
	Selectors  []string         `json:"selectors"`
	Interfaces []string         `json:"interfaces,omitempty"`
	Proxy      []string         `json:"proxy,omitempty"`
	Slots      []KnownSlot      `json:"slots,omitempty"`
	Concerns   []Concern        `json:"concerns,omitempty"`
	Addresses  []common.Address `json:"addresses,omitempty"`
}

// maxCodeSize bounds the input: 20x the EIP-3860 initcode limit, so anything
// deployable fits and a stray file does not cost seconds.
const maxCodeSize = 1 << 20

// Analyze decodes creation or runtime code. For creation code it finds the
// runtime the constructor returns and reports that runtime's selectors,
// proxy facts and concerns, plus the constructor's own concerns.
func Analyze(code []byte) (*Analysis, error) {
	if len(code) > maxCodeSize {
		return nil, fmt.Errorf("evm: code is %d bytes, more than the %d this analysis reads", len(code), maxCodeSize)
	}
	c, err := classify(code)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Form: c.Form, Size: len(code), RuntimeOffset: c.runtimeOff, RuntimeSize: c.runtimeSize,
		Target: c.Target, Selectors: []string{}}
	if c.Form == FormDelegation {
		a.Proxy = []string{ProxyEIP7702}
		return a, nil // 0xef0100 || address is not EVM code
	}
	defer c.prog.release()
	// One program per piece of code, built once: the classification, the
	// facts and the concerns all read it. Creation code adds the runtime's.
	runtime, p, md := code, c.prog, c.md
	if c.Form == FormCreation {
		runtime = code[c.runtimeOff : c.runtimeOff+c.runtimeSize]
		a.Addresses = hardcodedAddresses(c.prog.prefix(codeEnd(code[:c.runtimeOff])))
		md = ParseMetadata(runtime)
		end := len(runtime)
		if md != nil {
			end = md.Offset
		}
		p = newProgram(runtime, end)
		defer p.release()
	}
	a.Metadata = md
	if a.Metadata == nil {
		a.Metadata = c.md
	}
	sels := selectors(runtime, len(p.ownCode), p.jumpdests())
	a.Selectors = slices.Grow(a.Selectors, len(sels))
	for _, s := range sels {
		a.Selectors = append(a.Selectors, fmt.Sprintf("0x%08x", s))
	}
	all := p.ownView()
	own := insts{all.code, all.ins[:embeddedAt(all)]}
	// What can run: the input read from pc 0 as the EVM would (all of
	// it: trailer and data too), and for creation code the runtime it
	// deploys, read from its own pc 0. Facts (selectors, slots, proxies)
	// come from the compiler's layout; concerns never rest on it.
	r := readRunning(c.prog, 0)
	if c.Form == FormCreation {
		r.merge(readRunning(p, c.runtimeOff))
	}
	embedded := len(runtime)
	if len(own.ins) < len(all.ins) {
		embedded = int(all.ins[len(own.ins)].pc)
	}
	for _, cn := range r.concerns {
		cn.Part = c.part(cn.PC, md, embedded)
		a.Concerns = append(a.Concerns, cn)
	}
	ownCode := runtime[:embedded]
	a.Slots = findSlots(ownCode, own)
	a.Addresses = append(a.Addresses, hardcodedAddresses(all)...)
	slices.SortFunc(a.Addresses, func(x, y common.Address) int { return x.Cmp(y) })
	a.Addresses = slices.Compact(a.Addresses)
	a.Interfaces = impliedInterfaces(sels)
	if slices.Contains(a.Addresses, permit2) || encodesPermit2Call(all) {
		a.Interfaces = append(a.Interfaces, IfacePermit2Aware)
	}
	a.Proxy = proxyKinds(a, sels, own, r.writesFrom(c.runtimeOff))
	return a, nil
}
