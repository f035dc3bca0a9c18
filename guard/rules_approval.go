package guard

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
)

// Rules TG101-TG105: allowances granted on-chain. Each walks c.Calls(), so
// an approve inside a Safe MultiSend, a Multicall3 batch, an ERC-7821
// batch or a Universal Router command is judged as a top-level one.

const revokeAdvice = "If you already granted it, revoke it at revoke.cash or with approve(spender, 0)."

// approveUnlimited is TG101: an ERC-20 allowance so large it never runs
// out. Danger when the spender is unknown; caution when it is well known,
// because an unlimited approval to Permit2 or a big router is everyday, yet
// still outlives the action it was given for.
func approveUnlimited(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		a, ok := erc20Allowance(c, call)
		if !ok || a.fn == "decreaseAllowance" || !largeTokenAmount(c, a.token, a.amount) {
			continue
		}
		sev := Caution
		if !c.WellKnown(a.spender) {
			sev = Danger
		}
		title := fmt.Sprintf("Approve unlimited %s to %s", tokenShort(c, a.token), shortAddr(c, a.spender))
		what := "every " + tokenName(c, a.token) + " " + holderHas(c, call, "have", "holds")
		if !label.Unlimited(a.amount) {
			what = amountPhrase(c, a.token, a.amount, a.amountArg.Human) + ", more than anyone holds"
		}
		out = append(out, r.finding(sev, title,
			fmt.Sprintf("%s lets %s take %s, now and whenever it likes later, without asking you again.",
				fnPhrase(a.fn), addrPhrase(c, a.spender), what),
			TxPath(call, a.amountArg.Name),
			"Set an exact amount: only what this action needs. "+revokeAdvice))
	}
	return out
}

// approveUnknownSpender is TG102: any allowance, however small, to an
// address that is neither a known contract nor a contact. Dapps approve
// their router; an approval to a bare address is how drainers work.
func approveUnknownSpender(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		a, ok := erc20Allowance(c, call)
		if !ok || a.fn == "decreaseAllowance" || a.amount.Sign() == 0 || c.WellKnown(a.spender) {
			continue
		}
		what := upToPhrase(c, a.token, a.amount, a.amountArg.Human)
		short := "up to " + amountShort(c, a.token, a.amount, a.amountArg.Human)
		if largeTokenAmount(c, a.token, a.amount) {
			short = "any amount of " + tokenShort(c, a.token)
		}
		if id, ok := nftApproval(c, a); ok {
			what, short = id, fmt.Sprintf("token #%s of %s", a.amount, shortAddr(c, a.token))
		}
		out = append(out, r.finding(Danger, fmt.Sprintf("Approve %s to %s", short, shortAddr(c, a.spender)),
			fmt.Sprintf("%s lets %s spend %s from %s. Scam sites ask for exactly this, then take the tokens.",
				fnPhrase(a.fn), addrPhrase(c, a.spender), what, holderWallet(c, call)),
			TxPath(call, a.spenderArg.Name),
			"Reject unless you know who this address is: a real dapp asks you to approve its own, well-known contract."))
	}
	return out
}

// approvalRevoke is TG103: revokes, reported at OK so a reader is told
// that this one is safe.
func approvalRevoke(c *Context, r *Rule) []Finding {
	var out []Finding
	add := func(title, explanation, evidence string) {
		out = append(out, r.finding(OK, title, explanation, evidence, "Nothing to do: removing a permission is safe."))
	}
	for _, call := range c.Calls() {
		if a, ok := erc20Allowance(c, call); ok {
			switch {
			case a.fn == "decreaseAllowance":
				add("Reduces the "+tokenShort(c, a.token)+" allowance of "+shortAddr(c, a.spender),
					fmt.Sprintf("This lowers by %s what %s may spend of your %s.",
						amountPhrase(c, a.token, a.amount, a.amountArg.Human), addrPhrase(c, a.spender), tokenName(c, a.token)),
					TxPath(call, a.amountArg.Name))
			case a.fn == "approve" && a.amount.Sign() == 0:
				add("Revokes the "+tokenShort(c, a.token)+" allowance of "+shortAddr(c, a.spender),
					fmt.Sprintf("This sets to zero what %s may spend of your %s.", addrPhrase(c, a.spender), tokenName(c, a.token)),
					TxPath(call, a.amountArg.Name))
			}
			continue
		}
		if op, approved, ok := operatorApproval(call); ok && !approved {
			add("Revokes "+shortAddr(c, op)+" as NFT operator for "+shortCollection(c, call),
				fmt.Sprintf("This takes back the permission of %s to move your NFTs in %s.", addrPhrase(c, op), collectionName(c, call)),
				TxPath(call, call.Args[1].Name))
			continue
		}
		if call.Kind != calldata.KindCall || call.Source != "permit2" {
			continue
		}
		switch call.Name {
		case "approve":
			token, spender := argAddr(call.Args, "token"), argAddr(call.Args, "spender")
			if amount := argBig(call.Args, "amount"); amount != nil && amount.Sign() == 0 {
				add("Revokes the Permit2 "+tokenShort(c, token)+" allowance of "+shortAddr(c, spender),
					fmt.Sprintf("This sets to zero what %s may take of your %s through Permit2.", addrPhrase(c, spender), tokenName(c, token)),
					TxPath(call, "amount"))
			}
		case "lockdown":
			add("Revokes Permit2 allowances",
				"This sets to zero every Permit2 allowance it lists (lockdown), the emergency revoke.",
				TxPath(call, "approvals"))
		}
	}
	return out
}

// operatorGrants are the other ways a contract lets another address act
// for you: position: index of the grantee, flag: of the on/off argument
// (-1: none, granting is the call itself).
var operatorGrants = map[string]struct {
	who, flag int
	what      string
}{
	"setOperator(address,bool)":             {0, 1, "operator of every token you hold in this ERC-6909 contract (Uniswap v4 PoolManager claims among them)"},
	"authorizeOperator(address)":            {0, -1, "operator of all your tokens of this ERC-777 token"},
	"approveDelegation(address,uint256)":    {0, -1, "credit delegate: it may borrow against your collateral, leaving you the debt (Aave)"},
	"approve(address,uint256,uint256)":      {0, -1, "spender of a token id of this ERC-6909 contract"},
	"approveAndCall(address,uint256,bytes)": {0, -1, "spender of this token (approveAndCall also calls it at once)"},
}

// otherGrants is TG104's part for grants under other names: danger when
// the grantee is unknown, info when it is a contact or well known.
func otherGrants(c *Context, r *Rule, call *calldata.Call) []Finding {
	g, ok := operatorGrants[call.Signature]
	if !ok || call.Target == nil || len(call.Args) <= max(g.who, g.flag) {
		return nil
	}
	if g.flag >= 0 && call.Args[g.flag].Value != "true" {
		return nil
	}
	who, ok := call.Args[g.who].Address()
	if !ok {
		return nil
	}
	sev := Danger
	if c.WellKnown(who) {
		sev = Info
	}
	name, _, _ := strings.Cut(call.Signature, "(")
	return []Finding{r.finding(sev, fmt.Sprintf("%s makes %s an operator", name, shortAddr(c, who)),
		fmt.Sprintf("This %s on %s makes %s the %s, without asking again.", name, addrPhrase(c, call.Target.Address), addrPhrase(c, who), g.what),
		TxPath(call, call.Args[g.who].Name), "Reject unless you know exactly who this is and why it needs this power.")}
}

// nftOperatorApproval is TG104: setApprovalForAll(operator, true) hands
// over a whole collection. Danger for an unknown operator; info for a
// marketplace conduit, which every listing needs once.
func nftOperatorApproval(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		out = append(out, otherGrants(c, r, call)...)
		op, approved, ok := operatorApproval(call)
		if !ok || !approved {
			continue
		}
		sev, title := Info, "NFT operator for "+shortCollection(c, call)+": "+shortAddr(c, op)
		advice := "Fine for listing on this marketplace; revoke it (setApprovalForAll(operator, false)) when you stop using it."
		if !c.WellKnown(op) {
			sev = Danger
			advice = "Reject: marketplaces use their own well-known contract as operator. " +
				"If you already granted it, revoke it at revoke.cash or with setApprovalForAll(operator, false)."
		}
		out = append(out, r.finding(sev, title,
			fmt.Sprintf("This lets %s move every NFT %s in %s, and any that come later, without asking again.",
				addrPhrase(c, op), holderHas(c, call, "own", "owns"), collectionName(c, call)),
			TxPath(call, call.Args[0].Name), advice))
	}
	return out
}

// permit2Onchain is TG105: Permit2 allowances set or used on-chain,
// directly or through Universal Router commands.
func permit2Onchain(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		switch {
		case call.Kind == calldata.KindCall && call.Source == "permit2":
			switch call.Name {
			case "approve":
				g := permit2Grant{
					token: argAddr(call.Args, "token"), amount: argBig(call.Args, "amount"), expiration: argBig(call.Args, "expiration"),
					amountHuman: argHuman(call.Args, "amount"),
					amountPath:  TxPath(call, "amount"), expirationPath: TxPath(call, "expiration"),
				}
				req := permit2Request{spender: argAddr(call.Args, "spender"), spenderPath: TxPath(call, "spender"), grants: []permit2Grant{g}}
				out = append(out, req.findings(c, r)...)
			case "permit":
				for _, name := range []string{"permitSingle", "permitBatch"} {
					if p, ok := call.Arg(name); ok {
						req := permit2FromArg(call, p, name)
						req.owner = argAddr(call.Args, "owner")
						out = append(out, req.findings(c, r)...)
					}
				}
			case "transferFrom":
				out = append(out, permit2Transfers(c, r, call)...)
			}
		case call.Kind == calldata.KindCommand && call.Source == "universal-router":
			switch call.Name {
			case "PERMIT2_PERMIT", "PERMIT2_PERMIT_BATCH":
				for _, name := range []string{"permitSingle", "permitBatch"} {
					if p, ok := call.Arg(name); ok {
						out = append(out, permit2FromArg(call, p, name).findings(c, r)...)
					}
				}
			case "PERMIT2_TRANSFER_FROM", "PERMIT2_TRANSFER_FROM_BATCH":
				out = append(out, permit2Transfers(c, r, call)...)
			}
		}
	}
	return out
}

// permit2Transfers reports tokens moved with a Permit2 allowance: by the
// Universal Router (from the signer) or by a direct transferFrom. The
// mover is the spender of the allowance, so the one thing to know is who
// that is: a router that nobody labelled is a copy made to drain.
func permit2Transfers(c *Context, r *Rule, call *calldata.Call) []Finding {
	type move struct {
		token, to    common.Address
		amount       *big.Int
		human, where string
	}
	var moves []move
	if _, ok := call.Arg("token"); ok {
		to := argAddr(call.Args, "recipient")
		if _, ok := call.Arg("to"); ok {
			to = argAddr(call.Args, "to")
		}
		moves = append(moves, move{argAddr(call.Args, "token"), to, argBig(call.Args, "amount"), argHuman(call.Args, "amount"), TxPath(call, "amount")})
	}
	for _, name := range []string{"batchDetails", "transferDetails"} {
		list, _ := call.Arg(name)
		for _, e := range list.Elems {
			moves = append(moves, move{argAddr(e.Elems, "token"), argAddr(e.Elems, "to"), argBig(e.Elems, "amount"), argHuman(e.Elems, "amount"),
				TxPath(call, name+e.Name+".amount")})
		}
	}
	var out []Finding
	for _, m := range moves {
		moved := amountShort(c, m.token, m.amount, m.human)
		sev, title := Info, "Moves "+moved+" through Permit2 to "+shortRecipient(c, m.to)
		advice := "Check the amount and the recipient."
		mover := "the sender of this transaction"
		if call.Kind == calldata.KindCommand && call.Target != nil {
			mover = addrPhrase(c, call.Target.Address)
			if !c.WellKnown(call.Target.Address) {
				sev, title = Danger, "Unknown contract "+shortAddr(c, call.Target.Address)+" moves "+moved+" of yours through Permit2"
				advice = "Reject: only the real Universal Router should hold a Permit2 allowance of yours."
			}
		}
		out = append(out, r.finding(sev, title,
			fmt.Sprintf("This uses a Permit2 allowance: %s moves %s to %s.", mover, amountPhrase(c, m.token, m.amount, m.human), recipientPhrase(c, m.to)),
			m.where, advice))
	}
	return out
}

// --- ERC-20 allowances ---

// allowance is one ERC-20 allowance change.
type allowance struct {
	fn                    string // approve, increaseAllowance or decreaseAllowance
	token, spender        common.Address
	amount                *big.Int
	spenderArg, amountArg calldata.Arg
}

// erc20Allowance reads approve, increaseAllowance and decreaseAllowance.
// approve(address,uint256) is ERC-20's when the decoder read it so, and on
// a listed token whatever the reading: a 4byte or ERC-721 reading of those
// bytes on USDC is still an amount of USDC.
func erc20Allowance(c *Context, call *calldata.Call) (allowance, bool) {
	if call.Kind != calldata.KindCall || call.Target == nil || len(call.Args) != 2 {
		return allowance{}, false
	}
	fn, _, _ := strings.Cut(call.Signature, "(")
	switch fn { // LINK and older tokens spell them increaseApproval, decreaseApproval
	case "increaseApproval":
		fn = "increaseAllowance"
	case "decreaseApproval":
		fn = "decreaseAllowance"
	}
	if !strings.HasSuffix(call.Signature, "(address,uint256)") || fn != "approve" && fn != "increaseAllowance" && fn != "decreaseAllowance" {
		return allowance{}, false
	}
	// approve(address,uint256) is also ERC-721's: it counts as an ERC-20
	// allowance when the ABI or the token list says so. The increase and
	// decrease forms exist only for ERC-20s, whoever decoded them.
	if _, listed := c.Token(call.Target.Address); fn == "approve" && call.Source != "erc20" && !listed {
		return allowance{}, false
	}
	spender, ok := call.Args[0].Address()
	amount := call.Args[1].Big()
	if !ok || amount == nil {
		return allowance{}, false
	}
	return allowance{fn, call.Target.Address, spender, amount, call.Args[0], call.Args[1]}, true
}

// nftApproval reads approve(to, n) on a contract that is not a listed
// ERC-20 token as ERC-721's approve(to, tokenId) when n is small enough to
// be a token id: the same selector, and offline txguard cannot tell which
// standard the contract implements, so it says both.
func nftApproval(c *Context, a allowance) (string, bool) {
	if _, listed := c.Token(a.token); listed || a.fn != "approve" || a.amount.BitLen() > 64 {
		return "", false
	}
	return fmt.Sprintf("token #%s of %s (or %s base units, if it is an ERC-20 token)", a.amount, addrPhrase(c, a.token), a.amount), true
}

func fnPhrase(fn string) string {
	if fn == "increaseAllowance" {
		return "This increaseAllowance"
	}
	return "This approval"
}

// operatorApproval reads setApprovalForAll(operator, approved), which
// means the same in ERC-721 and ERC-1155 whoever decoded it.
func operatorApproval(call *calldata.Call) (operator common.Address, approved, ok bool) {
	if call.Kind != calldata.KindCall || call.Signature != "setApprovalForAll(address,bool)" || len(call.Args) != 2 {
		return common.Address{}, false, false
	}
	operator, ok = call.Args[0].Address()
	return operator, call.Args[1].Value == "true", ok
}

// shortCollection is collectionName as a title holds it.
func shortCollection(c *Context, call *calldata.Call) string {
	if call.Target == nil {
		return "this collection"
	}
	return shortAddr(c, call.Target.Address)
}

func collectionName(c *Context, call *calldata.Call) string {
	if call.Target == nil {
		return "this collection"
	}
	return collectionOf(c, call.Target.Address)
}

// --- thresholds ---

var (
	// twoPow128 is far beyond any real balance in base units (the largest
	// meme-coin supplies are under 10^33), yet catches "infinite" values
	// other than the max sentinels: 2^255, 2^192, uint256 max minus one.
	twoPow128 = new(big.Int).Lsh(big.NewInt(1), 128)
	// largeWholeTokens: 10^12 whole tokens of a listed token is more than
	// its supply for all but a few meme coins (10^12 USDC is a trillion
	// dollars), so nobody needs an allowance that size for one action;
	// dapps that avoid the max sentinel pick such round numbers instead.
	largeWholeTokens = big.NewInt(1_000_000_000_000)
)

// largeAmount reports an amount that is unlimited in practice. decimals is
// the token's, or negative when the token is not listed (then only the
// sentinels and 2^128 count, since its units are unknown).
func largeAmount(v *big.Int, decimals int) bool {
	if v == nil {
		return false
	}
	if label.Unlimited(v) || v.Cmp(twoPow128) >= 0 {
		return true
	}
	if decimals < 0 {
		return false
	}
	limit := new(big.Int).Mul(largeWholeTokens, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil))
	return v.Cmp(limit) >= 0
}

// largeTokenAmount is largeAmount for an amount of token on the input's chain.
func largeTokenAmount(c *Context, token common.Address, v *big.Int) bool {
	if tok, ok := c.Token(token); ok {
		return largeAmount(v, int(tok.Decimals))
	}
	return largeAmount(v, -1)
}

// beyondYear reports a Unix time more than a year after now: an allowance
// or signature that lives that long outlives any action it was made for.
func beyondYear(c *Context, unix *big.Int) bool {
	return unix != nil && unix.Cmp(big.NewInt(c.Now().AddDate(1, 0, 0).Unix())) > 0
}

// uniswapRouter reports a built-in Uniswap router label: the Uniswap app
// asks for an unlimited Permit2 allowance to it on a token's first swap.
func uniswapRouter(c *Context, a common.Address) bool {
	l := c.Label(a)
	return l.Source == label.SourceBuiltin && strings.HasPrefix(l.Label, "Uniswap ") && strings.Contains(l.Label, "Router")
}

// --- Permit2 allowances, on-chain (TG105) and signed (TG202) ---

// permit2Grant is one token of a Permit2 allowance or signature transfer.
type permit2Grant struct {
	token       common.Address
	amount      *big.Int
	amountHuman string
	expiration  *big.Int // allowances only; nil for a one-time transfer
	amountPath  string
	// expirationPath is empty when there is no expiration.
	expirationPath string
}

// permit2Request is a Permit2 allowance (or signed transfer) to one spender.
type permit2Request struct {
	spender      common.Address
	spenderPath  string
	deadline     *big.Int // the signature's deadline; nil on-chain
	deadlinePath string
	grants       []permit2Grant
	transfer     bool // a signature transfer: moves the tokens once
	signed       bool // a signature request, not a transaction
	// verifier is the contract a signed request binds to, when it names one.
	verifier *common.Address
	// owner signed an on-chain permit; zero when it is the signer's own.
	owner common.Address
}

// permit2FromArg reads a PermitSingle or PermitBatch tuple argument.
func permit2FromArg(call *calldata.Call, p calldata.Arg, name string) permit2Request {
	req := permit2Request{spenderPath: TxPath(call, name+".spender"), deadlinePath: TxPath(call, name+".sigDeadline")}
	if s, ok := p.Elem("spender"); ok {
		req.spender, _ = s.Address()
	}
	if d, ok := p.Elem("sigDeadline"); ok {
		req.deadline = d.Big()
	}
	details, _ := p.Elem("details")
	add := func(d calldata.Arg, path string) {
		req.grants = append(req.grants, permit2Grant{
			token: argAddr(d.Elems, "token"), amount: argBig(d.Elems, "amount"), expiration: argBig(d.Elems, "expiration"),
			amountHuman: argHuman(d.Elems, "amount"),
			amountPath:  TxPath(call, path+".amount"), expirationPath: TxPath(call, path+".expiration"),
		})
	}
	if _, single := details.Elem("token"); single {
		add(details, name+".details")
	} else {
		for _, d := range details.Elems {
			add(d, name+".details"+d.Name)
		}
	}
	return req
}

// findings judges a Permit2 request: one finding, at the level of its
// worst reason, with that reason's evidence.
//
//   - danger: the spender is unknown; an unlimited or huge amount to any
//     spender but a Uniswap router; an expiration or deadline more than a
//     year away.
//   - caution: unlimited to a Uniswap router (what app.uniswap.org asks for,
//     with a 30-day expiration); more than one token at once.
//   - info: bounded, short-lived, to a known spender: the everyday swap.
//
// A request that grants nothing (every amount zero) is quiet.
func (p permit2Request) findings(c *Context, r *Rule) []Finding {
	granted := false
	for _, g := range p.grants {
		granted = granted || g.amount != nil && g.amount.Sign() > 0
	}
	if !granted {
		return nil
	}
	j := judgement{sev: Info, evidence: p.spenderPath}
	if !c.WellKnown(p.spender) {
		j.add(Danger, p.spenderPath, "Drainers work exactly like this: a Permit2 signature that names their own address as spender.")
	}
	tokens := map[common.Address]bool{}
	var amounts, unlimited, lasting []string
	var until *big.Int
	for _, g := range p.grants {
		tokens[g.token] = true
		amounts = append(amounts, upToPhrase(c, g.token, g.amount, g.amountHuman))
		if largeTokenAmount(c, g.token, g.amount) {
			unlimited = append(unlimited, tokenName(c, g.token))
			if uniswapRouter(c, p.spender) {
				j.add(Caution, g.amountPath, "")
			} else {
				j.add(Danger, g.amountPath, "")
			}
		}
		if g.expiration != nil && (until == nil || g.expiration.Cmp(until) > 0) {
			until = g.expiration
		}
		if beyondYear(c, g.expiration) {
			lasting = append(lasting, tokenName(c, g.token))
			j.add(Danger, g.expirationPath, "")
		}
	}
	if len(unlimited) > 0 {
		why := "The " + joinAnd(unlimited) + " amount is unlimited."
		if len(unlimited) > 1 {
			why = "The " + joinAnd(unlimited) + " amounts are unlimited."
		}
		if uniswapRouter(c, p.spender) {
			why += " The Uniswap app asks for that by default, but an exact amount is safer."
		}
		j.add(Info, "", why)
	}
	if len(lasting) > 0 {
		j.add(Info, "", "That is more than a year: long after this action is done.")
	}
	if v := p.verifier; v != nil && !isPermit2(c, *v) && !c.WellKnown(*v) {
		j.add(Danger, "typedData.domain.verifyingContract",
			"And it is not even for Permit2: the contract that would accept the signature is "+addrPhrase(c, *v)+", which only calls itself Permit2.")
	}
	if beyondYear(c, p.deadline) {
		j.add(Danger, p.deadlinePath, lastsPhrase("The signature itself", p.deadline))
	}
	if len(tokens) > 1 {
		j.add(Caution, p.spenderPath, fmt.Sprintf("It covers %d different tokens at once.", len(tokens)))
	}

	wallet := "your wallet"
	if p.owner != (common.Address{}) && !isSigner(c, p.owner) {
		wallet = "the wallet of " + addrPhrase(c, p.owner)
	}
	what := "take " + joinAnd(amounts) + " from " + wallet + " through Permit2"
	if p.transfer {
		what = "transfer " + joinAnd(amounts) + " out of " + wallet + " through Permit2, once"
	} else if until != nil && until.Sign() > 0 {
		what += ", " + untilPhrase(until)
	}
	lead := "This lets"
	if p.signed {
		lead = "Signing this would let"
	}
	explanation := fmt.Sprintf("%s %s %s.", lead, addrPhrase(c, p.spender), what)
	if len(j.reasons) > 0 {
		explanation += " " + strings.Join(j.reasons, " ")
	}
	noun := "allowance"
	if p.transfer {
		noun = "transfer"
	}
	var grants []string
	for _, g := range p.grants {
		grants = append(grants, amountShort(c, g.token, g.amount, g.amountHuman))
	}
	title := map[Level]string{
		Info:    "Permit2 " + noun,
		Caution: "Broad Permit2 " + noun,
		Danger:  "Risky Permit2 " + noun,
	}[j.sev] + ": " + joinAnd(grants) + " to " + shortAddr(c, p.spender)
	advice := "Fine for a swap on this app; the allowance ends on its expiration."
	switch {
	case j.sev == Caution:
		advice = "Prefer an exact amount and a short expiration. Revoke Permit2 allowances at revoke.cash."
	case j.sev == Danger:
		advice = "Reject unless you know the spender and need this much for this long. " +
			"Permit2 allowances can be revoked at revoke.cash or with Permit2's lockdown."
	case p.transfer:
		advice = "Fine if this is the trade you are making: the signature moves these tokens once."
	}
	return []Finding{r.finding(j.sev, title, explanation, j.evidence, advice)}
}

// judgement gathers why something is risky: the worst reason sets the
// level and the evidence.
type judgement struct {
	sev      Level
	evidence string
	reasons  []string
}

// add raises the level to sev with its evidence, and adds a reason to the
// explanation unless it is empty.
func (j *judgement) add(sev Level, evidence, reason string) {
	if sev > j.sev {
		j.sev, j.evidence = sev, evidence
	}
	if reason != "" {
		j.reasons = append(j.reasons, reason)
	}
}

// --- words ---

// holder names the account whose assets a call acts on: "you", or the Safe
// or smart account that executes it ("My Safe (0x90F7…b906)") when that is
// not the signer, so a Safe owner reads that it is the Safe's funds.
func holder(c *Context, call *calldata.Call) string {
	signer, _ := c.Signer()
	sender := xferContexts(c, signer)[call].sender
	if sender == (common.Address{}) || sender == signer {
		return "you"
	}
	return addrPhrase(c, sender)
}

// holderHas is holder with a verb: "you have", "My Safe (…) holds".
func holderHas(c *Context, call *calldata.Call, you, it string) string {
	if h := holder(c, call); h != "you" {
		return h + " " + it
	}
	return "you " + you
}

// holderWallet is holder as the place tokens leave: "your wallet", or the
// account's name.
func holderWallet(c *Context, call *calldata.Call) string {
	if h := holder(c, call); h != "you" {
		return h
	}
	return "your wallet"
}

// addrPhrase names an address for a person: its label, or a plain
// statement that nobody knows it.
func addrPhrase(c *Context, a common.Address) string {
	if s, ok := c.Signer(); ok && s == a {
		return "your own account (" + label.Hex(a) + ")"
	}
	if l := c.Label(a); l.Known() {
		return l.Label + " (" + label.Hex(a) + ")"
	}
	return label.Hex(a) + " (an address that is neither a known contract nor in your address book)"
}

// recipientPhrase is addrPhrase with the Universal Router's placeholders.
func recipientPhrase(c *Context, a common.Address) string {
	switch a {
	case common.BigToAddress(big.NewInt(1)):
		return "you (the sender)"
	case common.BigToAddress(big.NewInt(2)):
		return "the router itself"
	}
	if s, ok := c.Signer(); ok && s == a {
		return "you"
	}
	return addrPhrase(c, a)
}

// tokenName is a token's symbol, else its label, else its address.
func tokenName(c *Context, a common.Address) string {
	if t, ok := c.Token(a); ok {
		return t.Symbol
	}
	if l := c.Label(a); l.Known() {
		return l.Label
	}
	return "the token at " + a.Hex()
}

// amountPhrase formats an amount of token; human is the decoder's
// rendering when it made one.
func amountPhrase(c *Context, token common.Address, v *big.Int, human string) string {
	if v == nil {
		return "an unknown amount of " + tokenName(c, token)
	}
	if _, listed := c.Token(token); listed && human != "" {
		return human
	}
	switch {
	case label.Unlimited(v):
		return "an unlimited amount of " + tokenName(c, token)
	case v.Sign() == 0:
		return "nothing"
	}
	if t, ok := c.Token(token); ok {
		return label.Units(v, t.Decimals) + " " + t.Symbol
	}
	return v.String() + " base units of " + tokenName(c, token)
}

// tokenShort names a token in a title: its symbol, else its label, else
// its short address.
func tokenShort(c *Context, a common.Address) string {
	if t, ok := c.Token(a); ok {
		return t.Symbol
	}
	return shortAddr(c, a)
}

// amountShort is an amount of token as a title holds it: "unlimited USDC",
// "100 USDC", or base units of a token nobody listed.
func amountShort(c *Context, token common.Address, v *big.Int, human string) string {
	switch {
	case v == nil:
		return "an unknown amount of " + tokenShort(c, token)
	case largeTokenAmount(c, token, v):
		return "unlimited " + tokenShort(c, token)
	}
	if t, ok := c.Token(token); ok {
		if human != "" {
			return human
		}
		return label.Units(v, t.Decimals) + " " + t.Symbol
	}
	return v.String() + " units of " + shortAddr(c, token)
}

// shortRecipient is recipientPhrase as short as a title needs it.
func shortRecipient(c *Context, a common.Address) string {
	switch a {
	case common.BigToAddress(big.NewInt(1)):
		return "you"
	case common.BigToAddress(big.NewInt(2)):
		return "the router itself"
	}
	if s, ok := c.Signer(); ok && s == a {
		return "you"
	}
	return shortAddr(c, a)
}

// upToPhrase is the most a spender may take: "up to 100 USDC", or "any
// amount of USDC" when the amount is unlimited in practice.
func upToPhrase(c *Context, token common.Address, v *big.Int, human string) string {
	if largeTokenAmount(c, token, v) {
		return "any amount of " + tokenName(c, token)
	}
	return "up to " + amountPhrase(c, token, v, human)
}

// lastsPhrase says that subject lasts until v, more than a year away.
func lastsPhrase(subject string, v *big.Int) string {
	if u := untilPhrase(v); u != "forever" {
		return subject + " stays usable " + u + ", more than a year from now."
	}
	return subject + " never expires."
}

// joinAnd lists "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// untilPhrase is "until" a Unix time as a UTC date, or "forever" past
// year 9999, where the sentinels of "no expiry" land.
func untilPhrase(v *big.Int) string {
	if !v.IsInt64() || v.Int64() > 253402300799 {
		return "forever"
	}
	return "until " + time.Unix(v.Int64(), 0).UTC().Format("2006-01-02 15:04 UTC")
}

// --- arguments ---

func argAddr(args []calldata.Arg, name string) common.Address {
	for _, a := range args {
		if a.Name == name {
			addr, _ := a.Address()
			return addr
		}
	}
	return common.Address{}
}

func argBig(args []calldata.Arg, name string) *big.Int {
	for _, a := range args {
		if a.Name == name {
			return a.Big()
		}
	}
	return nil
}

func argHuman(args []calldata.Arg, name string) string {
	for _, a := range args {
		if a.Name == name {
			return a.Human
		}
	}
	return ""
}
