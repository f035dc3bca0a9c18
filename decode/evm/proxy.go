package evm

import (
	"bytes"
	"encoding/binary"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/holiman/uint256"
)

// Proxy kinds reported in Analysis.Proxy. Each is a fact about the code, not
// a judgement: a UUPS implementation and the proxy in front of it are both
// "upgradeable", and which matters is for the guard to say.
const (
	ProxyEIP1167    = "eip-1167"         // minimal proxy with a fixed implementation
	ProxyEIP7702    = "eip-7702"         // an account's delegation designator
	ProxyEIP1967    = "eip-1967"         // delegates to the address in the EIP-1967 implementation slot
	ProxyBeacon     = "eip-1967-beacon"  // reads the EIP-1967 beacon slot, or asks a beacon for implementation()
	ProxyUUPS       = "uups"             // has proxiableUUID(): an upgradeable implementation (ERC-1822/UUPS)
	ProxyDiamond    = "eip-2535-diamond" // diamondCut/facets/facetAddress or the diamond storage slot
	ProxySafe       = "safe-proxy"       // Safe's proxy: delegates to storage slot 0, answers masterCopy()
	ProxyZeppelinOS = "zeppelinos"       // pre-EIP-1967 OpenZeppelin upgradeability slots
)

// KnownSlot is a well-known storage slot constant found in the code.
type KnownSlot struct {
	Name string      `json:"name"`
	Slot common.Hash `json:"slot"`
	PC   int         `json:"pc"` // of the PUSH32, or where the constant sits in the code's data
}

// Names of the slots in knownSlots.
const (
	SlotEIP1967Implementation = "eip1967.proxy.implementation"
	SlotEIP1967Admin          = "eip1967.proxy.admin"
	SlotEIP1967Beacon         = "eip1967.proxy.beacon"
	SlotZeppelinOSImpl        = "org.zeppelinos.proxy.implementation"
	SlotZeppelinOSAdmin       = "org.zeppelinos.proxy.admin"
	SlotDiamondStorage        = "diamond.standard.diamond.storage"
	SlotProxiable             = "PROXIABLE"
)

// knownSlots: EIP-1967 slots are keccak256(name) - 1, the others
// keccak256(name); the test recomputes each.
var knownSlots = []struct {
	name string
	slot common.Hash
}{
	{SlotEIP1967Implementation, common.HexToHash("0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc")},
	{SlotEIP1967Admin, common.HexToHash("0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103")},
	{SlotEIP1967Beacon, common.HexToHash("0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50")},
	{SlotZeppelinOSImpl, common.HexToHash("0x7050c9e0f4ca769c69bd3a8ef740bc37934f8e2c036e5a723fd8ee048ed3f8c3")},
	{SlotZeppelinOSAdmin, common.HexToHash("0x10d6a54a4754c8869d6886b5f5d7fbfa5b4522237ea5c60d11bc4e7a1ff9390b")},
	{SlotDiamondStorage, common.HexToHash("0xc8fcad8db84d3cc18b4c41d551ea0ee66dd599cde068d998e57d5e09332c131c")},
	{SlotProxiable, common.HexToHash("0xc5f16f0fcc639fa48a6947836d9850f504798523bf8c9a3a87d5876cf622bcf7")},
}

func slotName(h common.Hash) string {
	for _, k := range knownSlots {
		if k.slot == h {
			return k.name
		}
	}
	return ""
}

// findSlots lists the known slots the code uses: pushed by a PUSH32, or
// kept as a constant in the data after the code, where solc's constant
// optimizer puts a word used often enough (optimizer runs 200, via-IR) and
// CODECOPYs it from. A 32-byte slot cannot turn up there by accident.
func findSlots(code []byte, v insts) []KnownSlot {
	var out []KnownSlot
	var pushed []int // pcs of the slots' pushed bytes
	for _, in := range v.ins {
		if in.op != PUSH32 {
			continue
		}
		push, truncated := in.data(v.code)
		if truncated {
			continue
		}
		h := common.Hash(push)
		if n := slotName(h); n != "" {
			out = append(out, KnownSlot{Name: n, Slot: h, PC: int(in.pc)})
			pushed = append(pushed, int(in.pc)+1)
		}
	}
	for _, k := range knownSlots {
		for off := 0; ; off++ {
			i := bytes.Index(code[off:], k.slot[:])
			if i < 0 {
				break
			}
			off += i
			if !slices.Contains(pushed, off) {
				out = append(out, KnownSlot{Name: k.name, Slot: k.slot, PC: off})
			}
		}
	}
	return out
}

// masterCopyWord is masterCopy()'s selector left-aligned in a word: Safe's
// proxy compares it against the raw first word of call data.
var masterCopyWord = common.BytesToHash(append(common.FromHex("a619486e"), make([]byte, 28)...))

// pushesWord reports code that pushes w, directly (PUSH32) or as solc's
// optimizer writes it, a shorter constant shifted left (PUSH4 0x530ca437
// PUSH1 0xe1 SHL), or the negation of w so shifted, which the optimizer
// uses to compare by adding (calldataload(0) + -w == 0).
func pushesWord(view insts, w common.Hash) bool {
	var want, neg uint256.Int
	want.SetBytes(w[:])
	neg.Neg(&want)
	ins := view.ins
	for i, in := range ins {
		if !in.op.IsPush() {
			continue
		}
		push, _ := in.data(view.code)
		if in.op == PUSH32 && common.BytesToHash(push) == w {
			return true
		}
		if i+2 >= len(ins) || ins[i+1].op != PUSH1 || ins[i+2].op != SHL {
			continue
		}
		shift, _ := ins[i+1].data(view.code)
		if len(shift) != 1 {
			continue
		}
		var v uint256.Int
		v.SetBytes(push)
		v.Lsh(&v, uint(shift[0]))
		if v.Eq(&want) || v.Eq(&neg) {
			return true
		}
	}
	return false
}

// selImplementation is IBeacon's implementation(): a proxy that calls it on
// another contract and DELEGATECALLs delegates to whatever that beacon
// says, as OpenZeppelin 5's BeaconProxy does with its beacon in an
// immutable rather than in the EIP-1967 slot.
var selImplementation = known{0x5c60da1b, "implementation()"}

// asksBeacon reports code with no functions of its own (all it does is
// forward) that calls implementation() on another contract: it pushes the
// selector and makes a call. (A factory that deploys proxies and asks them
// for their implementation has functions: not a beacon proxy.)
func asksBeacon(sels []uint32, v insts) bool {
	if len(sels) > 0 {
		return false
	}
	pushes, calls := false, false
	for _, in := range v.ins {
		switch in.op {
		case PUSH4:
			if push, truncated := in.data(v.code); !truncated && binary.BigEndian.Uint32(push) == selImplementation.sel {
				pushes = true
			}
		case STATICCALL, CALL:
			calls = true
		}
	}
	return pushes && calls
}

// safeProxy reports Safe's proxy: it answers masterCopy(), every
// DELEGATECALL that can run goes to the address in slot 0, and nothing
// that can run writes storage (writes; its constructor aside), so only the
// implementation it runs can change slot 0. (The marker alone is cheap to
// fake; TG802 trusts this kind.)
func safeProxy(a *Analysis, sels []uint32, ins insts, writes bool) bool {
	if writes || !hasSelector(sels, selMasterCopy) && !pushesWord(ins, masterCopyWord) {
		return false
	}
	delegates := false
	for _, c := range a.Concerns {
		if c.Op != "DELEGATECALL" || c.Part == PartConstructor {
			continue
		}
		if !slices.Equal(c.Target, []string{TargetStorage}) || c.Slot == nil || *c.Slot != (common.Hash{}) {
			return false
		}
		delegates = true
	}
	return delegates
}

// proxyKinds derives the proxy facts from what the rest of the analysis
// found.
func proxyKinds(a *Analysis, sels []uint32, ins insts, writes bool) []string {
	var kinds []string
	switch a.Form {
	case FormMinimalProxy:
		kinds = append(kinds, ProxyEIP1167)
	case FormDelegation:
		kinds = append(kinds, ProxyEIP7702)
	}
	has := map[string]bool{}
	for _, s := range a.Slots {
		has[s.Name] = true
	}
	delegates := false
	for _, c := range a.Concerns {
		if c.Op == "DELEGATECALL" && c.Part == "" {
			delegates = true
		}
	}
	if has[SlotEIP1967Implementation] && delegates {
		kinds = append(kinds, ProxyEIP1967)
	}
	if has[SlotEIP1967Beacon] || delegates && asksBeacon(sels, ins) {
		kinds = append(kinds, ProxyBeacon)
	}
	if has[SlotZeppelinOSImpl] && delegates {
		kinds = append(kinds, ProxyZeppelinOS)
	}
	if hasSelector(sels, selProxiableUUID) {
		kinds = append(kinds, ProxyUUPS)
	}
	if has[SlotDiamondStorage] || hasSelector(sels, selDiamondCut) ||
		hasSelector(sels, selFacets) && hasSelector(sels, selFacetAddress) {
		kinds = append(kinds, ProxyDiamond)
	}
	if safeProxy(a, sels, ins, writes) {
		kinds = append(kinds, ProxySafe)
	}
	return kinds
}
