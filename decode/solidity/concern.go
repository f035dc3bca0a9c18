package solidity

// Concern is a kind of construct inside a function body that an auditor
// wants to see whenever a change brings one in.
type Concern string

const (
	ConcernDelegatecall Concern = "delegatecall"   // .delegatecall(...), Yul delegatecall(...), Address's .functionDelegateCall(...)
	ConcernSelfdestruct Concern = "selfdestruct"   // selfdestruct(...) or suicide(...)
	ConcernTxOrigin     Concern = "tx-origin"      // tx.origin
	ConcernAssembly     Concern = "assembly"       // an inline assembly block
	ConcernUnchecked    Concern = "unchecked"      // an unchecked { } block
	ConcernLowLevelCall Concern = "low-level-call" // .call, .staticcall, address .send/.transfer, Yul call/staticcall
	ConcernCallcode     Concern = "callcode"       // .callcode or Yul callcode
	ConcernCreate2      Concern = "create2"        // Yul create2 or new X{salt: ...}
)

// Occurrence is one construct of concern inside a function body.
type Occurrence struct {
	Kind Concern
	Line int
	Text string // what was seen, e.g. ".call{", "tx.origin", ".transfer (1 argument)"
	// Source is the whole source line, whitespace collapsed: code that
	// merely moved keeps its text, which is how a diff knows it is not new.
	Source string
	// Key is what the construct acts on: for .delegatecall and .callcode
	// the expression before the dot, for selfdestruct its argument, else
	// Source. A delegatecall to the same target is the same delegatecall
	// whatever the line around it calls its results.
	Key string
}

// concerns lists the occurrences in toks[from:to] (a function body).
//
// `.transfer(` and `.send(` are both address members (ETH) and ERC-20 /
// ERC-777 methods. They are told apart by argument count: address.transfer
// and address.send take one argument, token transfer(to, amount) two and
// ERC-777 send three. A one-argument token method named transfer would be
// miscounted; none of the common standards has one.
func (p *parser) concerns(from, to int) []Occurrence {
	var out []Occurrence
	asmEnd := -1 // inside [.., asmEnd) we are in Yul, where builtins have no dot
	add := func(k Concern, t token, text string) {
		out = append(out, Occurrence{Kind: k, Line: t.line, Text: text, Source: p.lineText(t.line), Key: p.lineText(t.line)})
	}
	// keyed is add with Key the tokens of toks[a:b].
	keyed := func(k Concern, t token, text string, a, b int) {
		add(k, t, text)
		key := string(k) + ":"
		lo, hi := max(a, from), min(b, to)
		for _, x := range p.toks[lo:max(lo, hi)] {
			key += x.text
		}
		out[len(out)-1].Key = key
	}
	// receiver is where the expression before toks[i-1] (a dot) starts:
	// names, member accesses, calls and indexes, as in address(this) or
	// targets[i].
	receiver := func(i int) int {
		j := i - 2
		for j >= from {
			switch t := p.toks[j]; {
			case t.is(")") || t.is("]"):
				if p.match[j] < from { // unmatched (a hunk read in part)
					return from
				}
				j = p.match[j] - 1
			case t.kind == tokIdent:
				if j-1 >= from && p.toks[j-1].is(".") {
					j -= 2
					continue
				}
				return j
			default:
				return j + 1
			}
		}
		return from
	}
	for i := from; i < to; i++ {
		t := p.toks[i]
		if t.kind != tokIdent {
			continue
		}
		inAsm := i < asmEnd
		dot := i > from && p.toks[i-1].is(".")
		next := p.tok(i + 1)
		if i+1 >= to {
			next = token{}
		}
		call := next.is("(")
		switch t.text {
		// A member named delegatecall is the builtin however it is then
		// used: called, given {gas: g}, .gas(g) (0.6), or put in
		// parentheses first, (x.delegatecall)(data). So is the name
		// selfdestruct outside a member access.
		case "delegatecall":
			switch {
			case dot:
				keyed(ConcernDelegatecall, t, t.text, receiver(i), i-1)
			case inAsm && call:
				add(ConcernDelegatecall, t, t.text)
			}
		case "functionDelegateCall":
			// OpenZeppelin's Address library: x.functionDelegateCall(data)
			// or Address.functionDelegateCall(x, data) is a delegatecall.
			if dot && call {
				// Key on the target, as for .delegatecall: the receiver,
				// or the first argument of Address.functionDelegateCall(x, data).
				if r := receiver(i); r == i-2 && p.toks[r].text == "Address" {
					keyed(ConcernDelegatecall, t, "."+t.text, i+2, i+2+p.argLen(i+1, to))
				} else {
					keyed(ConcernDelegatecall, t, "."+t.text, r, i-1)
				}
			}
		case "selfdestruct", "suicide":
			if !dot {
				end := i + 1 // the argument, when it is called here
				if call {
					end = p.after(i+1, to)
				}
				keyed(ConcernSelfdestruct, t, t.text, i+1, end)
			}
		case "tx":
			if next.is(".") && p.tok(i+2).is("origin") && !dot {
				add(ConcernTxOrigin, t, "tx.origin")
			}
		case "assembly":
			if dot {
				continue
			}
			// assembly { }, assembly "evmasm" { }, assembly ("memory-safe") { }
			j := i + 1
			for j < to && (p.toks[j].kind == tokString || p.toks[j].is("(")) {
				if p.toks[j].is("(") {
					j = p.after(j, to)
				} else {
					j++
				}
			}
			if j < to && p.toks[j].is("{") {
				add(ConcernAssembly, t, "assembly")
				asmEnd = max(asmEnd, p.after(j, to))
			}
		case "unchecked":
			if next.is("{") && !dot {
				add(ConcernUnchecked, t, "unchecked")
			}
		case "call", "staticcall":
			switch {
			case dot && (call || next.is("{") || next.is(")")):
				add(ConcernLowLevelCall, t, "."+t.text+next.text)
			case dot && next.is(".") && (p.tok(i+2).is("value") || p.tok(i+2).is("gas")):
				add(ConcernLowLevelCall, t, "."+t.text+"."+p.tok(i+2).text) // 0.4: x.call.value(v)(data)
			case inAsm && call && !dot:
				add(ConcernLowLevelCall, t, t.text+"(")
			}
		case "functionCall", "functionCallWithValue", "functionStaticCall", "sendValue":
			if dot && call { // Address library wrappers of call and staticcall
				add(ConcernLowLevelCall, t, "."+t.text)
			}
		case "send", "transfer":
			if dot && call && p.args(i+1, to) == 1 {
				add(ConcernLowLevelCall, t, "."+t.text+" (1 argument)")
			}
		case "callcode":
			switch {
			case dot:
				keyed(ConcernCallcode, t, t.text, receiver(i), i-1)
			case inAsm && call:
				add(ConcernCallcode, t, t.text)
			}
		case "create2":
			if inAsm && call && !dot {
				add(ConcernCreate2, t, "create2")
			}
		case "new":
			// new Pair{salt: s}(a, b): the salt makes it CREATE2.
			j := i + 1
			for j+1 < to && p.toks[j].kind == tokIdent && p.toks[j+1].is(".") {
				j += 2
			}
			if j+1 < to && p.toks[j].kind == tokIdent && p.toks[j+1].is("{") {
				close := p.after(j+1, to) - 1
				for k := j + 2; k+1 < close; k++ {
					if p.toks[k].is("salt") && p.toks[k+1].is(":") {
						add(ConcernCreate2, t, "new "+p.toks[j].text+"{salt:}")
						break
					}
				}
			}
		}
	}
	return out
}

// args counts the arguments of the call group opened at toks[open].
func (p *parser) args(open, end int) int {
	close := p.after(open, end) - 1
	if close <= open+1 {
		return 0
	}
	n := 1
	for i := open + 1; i < close; {
		t := p.toks[i]
		if isOpen(t) {
			i = p.after(i, close)
			continue
		}
		if t.is(",") {
			n++
		}
		i++
	}
	return n
}

// argLen is the number of tokens of the first argument of the call group
// opened at toks[open].
func (p *parser) argLen(open, end int) int {
	close := p.after(open, end) - 1
	i := open + 1
	for i < close && !p.toks[i].is(",") {
		if isOpen(p.toks[i]) {
			i = p.after(i, close)
			continue
		}
		i++
	}
	return i - open - 1
}
