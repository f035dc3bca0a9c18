package calldata

import (
	"bytes"
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strconv"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/selector"
)

// MaxDepth bounds how deep containers are opened: attacker-made calldata
// can nest without end, and a person cannot read past a few levels anyway.
const MaxDepth = 8

// Decoder decodes calldata. The zero value is not usable; use New.
type Decoder struct {
	user *abi.ABI
	// userSel indexes user's methods by selector.
	userSel map[[4]byte][]candidate
	lab     *label.Labeler
	// budget is set by Decode, for that one decoding.
	budget *budget
	// slab is set by Decode: canonicalArgs cuts integers and argument
	// lists from it.
	slab *slab
}

// New returns a Decoder; user is the --abi ABI, or nil.
func New(user *abi.ABI) *Decoder {
	d := &Decoder{user: user}
	if user != nil {
		d.userSel = map[[4]byte][]candidate{}
		addMethods(d.userSel, user, "user")
	}
	return d
}

// WithLabels returns a Decoder that labels with lab.
func (d *Decoder) WithLabels(lab *label.Labeler) *Decoder {
	c := *d
	c.lab = lab
	return &c
}

// Labels is the Labeler the Decoder names addresses with, so that a caller
// labels the addresses around a call (an entry point, a paymaster) alike.
func (d *Decoder) Labels() *label.Labeler { return d.labels() }

func (d *Decoder) labels() *label.Labeler {
	if d.lab == nil {
		return label.New(0, nil)
	}
	return d.lab
}

// Decode decodes one call to target (nil: contract creation) carrying value.
// The work it does is bounded by the size of data (see budget); a call the
// bound stopped says so in its Error, which starts with BudgetExceeded.
func (d *Decoder) Decode(target *common.Address, value *big.Int, data []byte) *Call {
	return d.DecodeAt("call", target, value, data)
}

// DecodeAt is Decode for a call that sits at path in a larger structure
// (an account operation's call is "op.call"): the paths of the calls
// nested in it follow from path, so evidence points into that structure.
func (d *Decoder) DecodeAt(path string, target *common.Address, value *big.Int, data []byte) *Call {
	// One allocation for what this decoding owns.
	run := &struct {
		d    Decoder
		b    budget
		slab slab
	}{d: *d, b: newBudget(len(data))}
	run.d.budget, run.d.slab = &run.b, &run.slab
	d = &run.d
	d.budget.take(callUnits)
	c := d.newCall(path, target, value)
	if target == nil {
		c.Name = "contract creation"
		c.Data, c.Input = data, data
		return c
	}
	d.decodeInto(c, data, 0)
	return c
}

func (d *Decoder) newCall(path string, target *common.Address, value *big.Int) *Call {
	c := &Call{Path: path, Kind: KindCall}
	if target != nil {
		a := d.labels().Addr(*target)
		c.Target = &a
	}
	if value != nil && value.Sign() > 0 {
		c.Value = value
		c.ValueText = value.String()
		c.Human = d.labels().Ether(value)
	}
	return c
}

// child adds a nested call to parent and decodes it. It reports whether
// the budget is left to go on with the parent's next call.
func (d *Decoder) child(parent *Call, target *common.Address, value *big.Int, op string, data []byte, depth int) bool {
	if !d.budget.take(callUnits) {
		return false
	}
	c := d.newCall(childPath(parent.Path, len(parent.Calls)), target, value)
	c.Operation = cmp.Or(op, OpCall)
	parent.Calls = append(parent.Calls, c)
	d.decodeInto(c, data, depth+1)
	return !d.budget.over
}

// topCallPaths are the paths of the first calls nested in a transaction's
// own call, made once: every batch, multicall and router command is one.
var topCallPaths = func() (out [16]string) {
	for i := range out {
		out[i] = "call.calls[" + strconv.Itoa(i) + "]"
	}
	return out
}()

// childPath is the path of the i-th call nested in the call at parent.
func childPath(parent string, i int) string {
	if parent == "call" && i < len(topCallPaths) {
		return topCallPaths[i]
	}
	return parent + ".calls[" + strconv.Itoa(i) + "]"
}

// decodeInto decodes data into c. A call whose decoding was under way when
// the budget ran out (the one that crossed it, and every call it is nested
// in) is marked, so that none of them passes for read in full.
func (d *Decoder) decodeInto(c *Call, data []byte, depth int) {
	c.Input = data
	d.read(c, data, depth)
	if d.budget.over {
		d.budget.mark(c)
	}
}

// keep leaves data undecoded on c, saying why. The bytes are shown, so
// they are paid for: a thousand offsets may point at the same ones.
func (d *Decoder) keep(c *Call, data []byte, why string) {
	c.Error = why
	if d.budget.take(wordsOf(len(data))) {
		c.Data = data
	}
}

func (d *Decoder) read(c *Call, data []byte, depth int) {
	switch {
	case len(data) == 0:
		if c.Kind == KindCall {
			c.Name = "transfer of native currency"
		}
		return
	case len(data) < 4:
		d.keep(c, data, fmt.Sprintf("%d bytes of calldata are too short for a function selector", len(data)))
		return
	case depth > MaxDepth:
		d.keep(c, data, fmt.Sprintf("nested deeper than %d levels; not decoded", MaxDepth))
		return
	}
	var sel [4]byte
	copy(sel[:], data)
	c.Selector = hexValue(sel[:])
	cands := d.candidates(sel)
	if len(cands) == 0 {
		d.keep(c, data, "unknown function selector "+c.Selector)
		return
	}
	// pick unpacks every reading; each must fit in what is left.
	var sizes [4]int // a selector has a handful of readings
	for i, cand := range cands {
		n, _ := size(cand.method.Inputs, data[4:], d.budget.left)
		if !d.budget.fits(n) {
			return
		}
		if i < len(sizes) {
			sizes[i] = n
		}
	}
	chosen, args, others, exact := d.pick(c, cands, data[4:])
	if chosen == nil {
		d.keep(c, data, fmt.Sprintf("arguments do not decode as %s", cands[0].method.Sig))
		return
	}
	// The chosen reading's size, measured above (pick may reorder).
	i := slices.IndexFunc(cands, func(c candidate) bool { return c.method == chosen.method })
	n := 0
	if i >= 0 && i < len(sizes) {
		n = sizes[i]
	} else {
		n, _ = size(chosen.method.Inputs, data[4:], d.budget.left)
	}
	d.budget.take(n)
	c.Signature = chosen.method.Sig
	c.Name = chosen.method.RawName
	c.Source = chosen.source
	c.Ambiguous = others
	c.Args = args
	if !exact {
		c.Error = "calldata is not the canonical encoding of its arguments (extra or padded bytes)"
	}
	d.annotate(c)
	if open, ok := containers[c.Signature]; ok {
		open(d, c, depth)
	}
	finishArgs(c.Args)
}

// finishArgs writes the hex Value of the bytes arguments that are not
// shown as calls. Bytes that are the calldata of a nested call (a
// multicall's element, a Safe's data, a router's input) are shown as that
// call, with its arguments or its raw data: hex-encoding them again was
// the largest single cost of decoding a swap (issue 17). Everything else
// keeps its hex, in a tuple that carries calls too (a UserOperation's
// initCode beside its callData).
func finishArgs(args []Arg) {
	for i := range args {
		a := &args[i]
		if a.hexLater && !a.asCalls {
			a.Value = hexValue(a.raw)
		}
		a.hexLater = false
		finishArgs(a.Elems)
	}
}

// childOf decodes data as a nested call of parent (see child) and marks
// the argument holding data as shown by that call, if it was made and the
// budget did not stop it (a stopped call may show none of its bytes).
func (d *Decoder) childOf(parent *Call, holder *Arg, target *common.Address, value *big.Int, op string, data []byte, depth int) bool {
	n := len(parent.Calls)
	more := d.child(parent, target, value, op, data, depth)
	if holder != nil && len(parent.Calls) > n && !d.budget.over {
		holder.asCalls = true
	}
	return more
}

// candidates lists every reading of a selector, best source first.
func (d *Decoder) candidates(sel [4]byte) []candidate {
	cur := curated(sel)
	var out []candidate
	// The user's ABI wins, except over a curated function with the very
	// same signature: the encoding is the same, and the standard's reading
	// (family and parameter names) is what the rules judge. Otherwise an
	// --abi holding a token's own artifact would blind the approval rules.
	for _, u := range d.userSel[sel] {
		if !slices.ContainsFunc(cur, func(c candidate) bool { return c.method.Sig == u.method.Sig }) {
			out = append(out, u)
		}
	}
	out = append(out, cur...)
	// The 4byte table holds one signature per selector; parse it only when
	// it says something the ABIs did not.
	if sig, ok := selector.Lookup(sel); ok && !slices.ContainsFunc(out, func(c candidate) bool { return c.method.Sig == sig }) {
		if m, ok := fourbyte(sig); ok {
			out = append(out, candidate{m, "4byte"})
		}
	}
	return out
}

// pick chooses the reading of args: the first candidate that decodes and
// re-encodes to the same bytes, else the first that decodes at all. Other
// exact readings with a different signature, or the same signature from a
// family that gives the arguments another meaning, are returned as others.
// A canonical encoding is read by canonicalArgs; only other bytes cost
// go-ethereum's unpack and re-pack.
func (d *Decoder) pick(c *Call, cands []candidate, args []byte) (chosen *candidate, out []Arg, others []string, exact bool) {
	cands = d.preferByTarget(c, cands)
	var vals []any // the chosen reading's values, when go-ethereum read it
	// What was read: a source and signature, or (source "") a signature
	// that was chosen. A handful of candidates: a slice, not a map.
	type read struct{ source, sig string }
	var seen []read
	for i := range cands {
		cand := &cands[i]
		key := read{cand.source, cand.method.Sig}
		if slices.Contains(seen, key) || (cand.source == "4byte" && chosen != nil && slices.Contains(seen, read{"", cand.method.Sig})) {
			continue
		}
		seen = append(seen, key)
		var v []any
		fast, _, ok := d.canonicalArgs(cand.method.Inputs, args)
		if !ok {
			fast = nil
			var err error
			if v, err = cand.method.Inputs.Unpack(args); err != nil {
				continue
			}
			packed, err := cand.method.Inputs.Pack(v...)
			ok = err == nil && bytes.Equal(packed, args)
		}
		switch {
		case chosen == nil, ok && !exact:
			// The first reading; or an exact one, which beats an inexact
			// one found first: that then is no reading of these bytes.
			chosen, out, vals, exact = cand, fast, v, ok
			seen = append(seen, read{"", cand.method.Sig})
		case ok && (cand.method.Sig != chosen.method.Sig || conflicting(chosen.source, cand.source)):
			others = append(others, cand.source+": "+describeMethod(cand.method))
		}
	}
	if chosen != nil && out == nil {
		out = d.toArgs(chosen.method.Inputs, vals)
	}
	return chosen, out, others, exact
}

// preferByTarget reads a call to a known token as ERC-20 only:
// approve(address,uint256) on USDC is an amount, not an NFT id, and saying
// "ambiguous" there would only teach people to ignore the word.
func (d *Decoder) preferByTarget(c *Call, cands []candidate) []candidate {
	if c.Target == nil {
		return cands
	}
	if _, ok := d.labels().Token(c.Target.Address); !ok {
		return cands
	}
	erc20 := map[string]bool{}
	for _, cand := range cands {
		if cand.source == "erc20" {
			erc20[cand.method.Sig] = true
		}
	}
	// The user's ABI stays first; ERC-20 readings come next and displace
	// other families' readings of the same signature.
	out := make([]candidate, 0, len(cands))
	for _, pass := range []func(candidate) bool{
		func(c candidate) bool { return c.source == "user" },
		func(c candidate) bool { return c.source == "erc20" },
		func(c candidate) bool { return c.source != "user" && c.source != "erc20" && !erc20[c.method.Sig] },
	} {
		for _, cand := range cands {
			if pass(cand) {
				out = append(out, cand)
			}
		}
	}
	return out
}

// conflicting reports families whose identical signatures mean different
// things: ERC-20's approve and transferFrom move an amount, ERC-721's the
// token with that id. Other shared signatures (ERC-7579 and ERC-7821
// execute, Ownable in two files) are one function.
func conflicting(a, b string) bool {
	return a == "erc20" && b == "erc721" || a == "erc721" && b == "erc20"
}

// describeMethod is the signature with parameter names, which is what
// tells an ERC-20 amount from an ERC-721 token id.
func describeMethod(m *abi.Method) string {
	var b bytes.Buffer
	b.WriteString(m.RawName)
	b.WriteByte('(')
	for i, in := range m.Inputs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(in.Type.String())
		if in.Name != "" {
			b.WriteByte(' ')
			b.WriteString(in.Name)
		}
	}
	b.WriteByte(')')
	return b.String()
}
