package guard

import (
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
)

// Rules TG10xx judge what the user's own node says the input does
// (Simulation), not what it says it does: the drainer behind a "claim" on
// an unknown contract, the approval a token grants inside a transfer.
// Without a simulation they are quiet, and the coverage line says "not
// simulated".

// sim is the simulation the rules judge: only one that ran.
func (c *Context) sim() *Simulation {
	if s := c.cfg.Sim; s != nil && s.Status == SimOK {
		return s
	}
	return nil
}

// trusted is where assets may go without a finding: the account itself,
// the signer, a contact, a well-known protocol (a bridge or a staking
// contract gives nothing back here and is not robbing anyone). Not a
// token's own contract, Multicall3 or Permit2: nothing sent to them comes
// back, and what Multicall3 holds anyone can take.
func (c *Context) trusted(sim *Simulation, a common.Address) bool {
	if s, ok := c.Signer(); ok && s == a || a == sim.Account || c.Contact(a) {
		return true
	}
	if _, token := c.Token(a); token {
		return false
	}
	l := c.Label(a)
	return l.Known() && !strings.Contains(l.Label, "Multicall") && !strings.Contains(l.Label, "Permit2")
}

// minNativeBack is the least native currency that counts as something
// back when none was lost (0.01 ETH): a drainer returns a few cents to
// look like a trade.
var minNativeBack = big.NewInt(1e16)

// returned sorts what the account receives: valued (the native currency:
// at least 1% of what it loses of it, or 0.01 ETH when it loses none; a
// listed token beyond dust; an NFT of a known collection), unlisted (a
// token or NFT of no list), or nothing at all (dust, and a "token" whose
// contract does not behave as one: a drainer can log a Transfer of a
// token that does not exist).
func returned(c *Context, sim *Simulation, outs []*outflow) (valued, unlisted []string) {
	lostNative := new(big.Int)
	for _, o := range outs {
		if o.asset.Standard == AssetNative {
			lostNative.Add(lostNative, o.amount)
		}
	}
	for _, ch := range sim.Changes {
		if ch.Holder != sim.Account || ch.Delta.Sign() <= 0 && len(ch.In) == 0 || ch.Asset.NotStandard {
			continue
		}
		what := strings.TrimPrefix(ch.Human, "+")
		switch ch.Asset.Standard {
		case AssetNative:
			if isDust(c, common.Address{}, ch.Delta.Int) || new(big.Int).Mul(ch.Delta.Int, big.NewInt(100)).Cmp(lostNative) < 0 ||
				lostNative.Sign() == 0 && ch.Delta.Cmp(minNativeBack) < 0 {
				continue
			}
			valued = append(valued, what)
		case AssetERC20:
			switch {
			case ch.Asset.Listed && isDust(c, ch.Asset.Token, ch.Delta.Int):
			case ch.Asset.Listed:
				valued = append(valued, what)
			case !isDust(c, ch.Asset.Token, ch.Delta.Int):
				unlisted = append(unlisted, what)
			}
		default:
			if c.WellKnown(ch.Asset.Token) {
				valued = append(valued, what)
			} else {
				unlisted = append(unlisted, what)
			}
		}
	}
	return valued, unlisted
}

// outflow is what left the account for one asset.
type outflow struct {
	asset  Asset
	amount *big.Int
	ids    []string
	to     []common.Address
}

// assetsLeave is TG1001: assets leave the account for addresses that are
// neither it, a contact nor well-known, and nothing of value comes back.
// Transfers the input itself shows (a plain payment, a token transfer to a
// named recipient) are the transfer rules' to judge.
func assetsLeave(c *Context, r *Rule) []Finding {
	sim := c.sim()
	if sim == nil {
		return nil
	}
	shown := shownTransfers(c, sim.Account)
	var outs []*outflow
	byAsset := map[string]*outflow{}
	for _, t := range sim.Transfers {
		if t.From != sim.Account || t.To == sim.Account || c.trusted(sim, t.To) || shown.has(t) {
			continue
		}
		o := byAsset[t.Asset.key()]
		if o == nil {
			o = &outflow{asset: t.Asset, amount: new(big.Int)}
			byAsset[t.Asset.key()] = o
			outs = append(outs, o)
		}
		if t.Amount.Int != nil {
			o.amount.Add(o.amount, t.Amount.Int)
		}
		if t.ID != nil && t.ID.Int != nil {
			o.ids = append(o.ids, t.ID.String())
		}
		if !slices.Contains(o.to, t.To) {
			o.to = append(o.to, t.To)
		}
	}
	outs = slices.DeleteFunc(outs, func(o *outflow) bool { return o.amount.Sign() == 0 && len(o.ids) == 0 })
	if len(outs) == 0 {
		return nil
	}
	valued, unlisted := returned(c, sim, outs)
	if len(valued) > 0 {
		return nil // a trade: its price is the model's and TG1004's to question
	}
	var lost, to []string
	sev, share := Danger, ""
	for _, o := range outs {
		lost = append(lost, assetAmount(o.asset, o.amount, o.ids))
		for _, a := range o.to {
			if p := shortAddrPhrase(c, a); !slices.Contains(to, p) {
				to = append(to, p)
			}
		}
		if s := holdingShare(sim, o); s != "" {
			sev, share = Critical, s
		}
	}
	subject, receives := "You lose ", ", and get nothing back"
	if s, ok := c.Signer(); !ok || s != sim.Account {
		subject, receives = shortAddrPhrase(c, sim.Account)+" loses ", ", and gets nothing back"
	}
	title := subject + joinAnd(lost) + " to " + joinAnd(first(to, 3)) + receives
	expl := "The simulation on your node moves " + joinAnd(lost) + " out of " + accountPhrase(c, sim) + " to " + joinAnd(first(to, 3)) +
		", which is neither you, your address book nor a well-known contract, and nothing comes back. This is what a wallet drainer does."
	if len(unlisted) > 0 {
		// Something comes back, of unknown value: a trade for a new token,
		// or the worthless token some drainers send to look like one.
		sev = Caution
		if share != "" {
			sev = Danger
		}
		title = subject + joinAnd(lost) + " for only " + joinAnd(unlisted)
		expl = "The simulation on your node moves " + joinAnd(lost) + " to " + joinAnd(first(to, 3)) +
			", and what comes back is only " + joinAnd(unlisted) + ": a token on no list, whose value nobody vouches for."
	}
	if share != "" {
		expl += " That is " + share + "."
	}
	return []Finding{r.finding(sev, title, expl, "simulation.transfers",
		"Do not sign. If you meant to pay this address, send the amount directly, to an address you have checked.")}
}

// holdingShare says "all you hold of USDC" or "73% of your ETH" when the
// outflow is at least half the account's balance before; "" otherwise or
// when the balance is unknown.
func holdingShare(sim *Simulation, o *outflow) string {
	var before *big.Int
	for _, h := range sim.Facts.Holdings {
		if h.Asset.key() == o.asset.key() {
			before = h.Amount.Int
		}
	}
	if before == nil && o.asset.Standard == AssetNative && sim.Facts.Balance != nil {
		before = sim.Facts.Balance.Int
	}
	amt := o.amount
	if o.asset.Standard == AssetERC721 {
		amt = big.NewInt(int64(len(o.ids)))
	}
	if before == nil || before.Sign() <= 0 || amt.Sign() == 0 {
		return ""
	}
	pct := new(big.Int).Div(new(big.Int).Mul(amt, big.NewInt(100)), before)
	switch {
	case pct.Cmp(big.NewInt(100)) >= 0 || amt.Cmp(before) >= 0:
		return "all the account held of " + assetSymbol(o.asset)
	case pct.Cmp(big.NewInt(50)) >= 0:
		return pct.String() + "% of the account's " + assetSymbol(o.asset)
	}
	return ""
}

// accountPhrase names the simulated account: "your account", or the Safe
// or smart account.
func accountPhrase(c *Context, sim *Simulation) string {
	if s, ok := c.Signer(); ok && s == sim.Account {
		return "your account"
	}
	return addrPhrase(c, sim.Account)
}

// shortAddrPhrase names an address briefly: its label, or 0x1234…abcd
// (unknown), "(unknown contract)" or "(unknown account)" when the node
// said which it is.
func shortAddrPhrase(c *Context, a common.Address) string {
	if l := c.Label(a); l.Known() {
		return l.Label + " (" + shortHex(a) + ")"
	}
	if s := c.cfg.Sim; s != nil {
		if f, ok := s.Facts.CodeOf(a); ok && f.Delegate != nil {
			return shortHex(a) + " (unknown account, delegated to code)"
		} else if ok && f.Size > 0 {
			return shortHex(a) + " (unknown contract)"
		} else if ok {
			return shortHex(a) + " (unknown account)"
		}
	}
	return shortHex(a) + " (unknown)"
}

// shownSet is the transfers the decoded input names: a payment with no
// calldata, transfer/transferFrom/safeTransferFrom calls the account makes.
type shownSet map[string]bool

func shownKey(token, to common.Address) string { return token.Hex() + ">" + to.Hex() }

func (s shownSet) has(t Transfer) bool { return s[shownKey(t.Asset.Token, t.To)] }

func shownTransfers(c *Context, account common.Address) shownSet {
	out := shownSet{}
	signer, _ := c.Signer()
	ctxs := xferContexts(c, signer)
	for _, call := range c.Calls() {
		if call.Kind != calldata.KindCall || call.Target == nil {
			continue
		}
		sender := ctxs[call].sender
		if sender != account && !(sender == (common.Address{}) && signer == account) {
			continue
		}
		if call.Value != nil && call.Value.Sign() > 0 && len(call.Input) == 0 {
			out[shownKey(common.Address{}, call.Target.Address)] = true
		}
		switch call.Name {
		case "transfer", "transferFrom", "safeTransferFrom", "safeBatchTransferFrom":
			to := argAddr(call.Args, "to")
			if to == (common.Address{}) {
				to = argAddr(call.Args, "recipient")
			}
			if from := argAddr(call.Args, "from"); call.Name != "transfer" && from != account {
				continue
			}
			out[shownKey(call.Target.Address, to)] = true
		}
	}
	return out
}

// hiddenApproval is TG1002: the simulation grants an allowance or operator
// approval over the account's assets that the decoded calls do not show.
func hiddenApproval(c *Context, r *Rule) []Finding {
	sim := c.sim()
	if sim == nil {
		return nil
	}
	var out []Finding
	for _, g := range sim.Approvals {
		if g.Owner != sim.Account || g.Revoked || grantShown(c, g) {
			continue
		}
		if g.Operator && g.WasOperator || !g.Operator && g.Before != nil && g.Amount != nil && g.Amount.Cmp(g.Before.Int) <= 0 {
			continue // an old grant, being spent
		}
		what := "an allowance of " + grantAmount(g)
		if g.Operator {
			what = "control of every " + assetSymbol(g.Asset) + " it holds (an operator approval)"
		}
		title := "Hidden approval: " + shortAddrPhrase(c, g.Spender) + " gets " + what
		expl := fmt.Sprintf("Simulated on your node, this gives %s %s of %s, though no call in it is an approval: the code it runs grants it on the side. Whoever holds it can take those assets later, at any time.",
			addrPhrase(c, g.Spender), what, accountPhrase(c, sim))
		out = append(out, r.finding(Critical, title, expl, fmt.Sprintf("simulation.approvals[%d]", slices.Index(sim.Approvals, g)),
			"Do not sign. If an approval was already granted this way, revoke it (approve the spender for 0)."))
	}
	return out
}

func grantAmount(g Grant) string {
	if g.Amount == nil {
		return "an unknown amount of " + assetSymbol(g.Asset)
	}
	if label.Unlimited(g.Amount.Int) {
		return "an unlimited amount of " + assetSymbol(g.Asset)
	}
	return assetAmount(g.Asset, g.Amount.Int, nil)
}

// grantShown reports whether a decoded call names this grant: a call to
// the token (or Permit2) with the spender among its arguments.
func grantShown(c *Context, g Grant) bool {
	for _, call := range c.Calls() {
		if call.Target == nil || call.Signature == "" {
			continue
		}
		if call.Target.Address != g.Asset.Token && !(g.Via == "permit2" && isPermit2(c, call.Target.Address)) {
			continue
		}
		if argsHave(call.Args, g.Spender) {
			return true
		}
	}
	return false
}

func argsHave(args []calldata.Arg, a common.Address) bool {
	for _, arg := range args {
		if v, ok := arg.Address(); ok && v == a || argsHave(arg.Elems, a) {
			return true
		}
	}
	return false
}

// simReverts is TG1003: a simulated call fails, so the transaction does
// nothing but cost its fee.
func simReverts(c *Context, r *Rule) []Finding {
	sim := c.sim()
	if sim == nil {
		return nil
	}
	for i, call := range sim.Calls {
		if call.Success {
			continue
		}
		why := "with no reason given"
		if call.Revert != "" {
			why = "with \"" + call.Revert + "\""
		}
		title := "The transaction reverts " + why
		if len(sim.Calls) > 1 {
			title = fmt.Sprintf("Call %d of %d reverts %s", i+1, len(sim.Calls), why)
		}
		return []Finding{r.finding(Caution, title,
			"Simulated on your node at the latest block, the call fails: nothing it means to do happens, and a transaction still pays its fee. State can change before it is mined, but as it is, it fails.",
			fmt.Sprintf("simulation.calls[%d]", i), "Do not send it as it is; find out why it fails (a sale not open, an amount too high, a missing approval).")}
	}
	return nil
}

// swapName matches the function and command names of trades.
var swapName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)swap|^buy|^sell|exactinput|exactoutput|^trade`) })

// intentGet and intentPay read the user's --intent: words that expect
// something back, and an amount of the native currency to pay.
var (
	intentGet = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(swap|buy|sell|trade|get|receive|claim|mint|withdraw|redeem|unstake|bridge|exchange)\b`)
	})
	intentPay = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b([0-9]+(?:\.[0-9]+)?)\s*(eth|ether)\b`) })
)

// simContradicts is TG1004: the simulated effects contradict what the
// input or the user says it is: a swap that returns nothing, an --intent
// that expects something back or names a smaller payment.
func simContradicts(c *Context, r *Rule) []Finding {
	sim := c.sim()
	if sim == nil {
		return nil
	}
	var gets bool
	lostNative := new(big.Int)
	lostAny := false
	for _, ch := range sim.Changes {
		if ch.Holder != sim.Account {
			continue
		}
		if ch.Delta.Sign() > 0 || len(ch.In) > 0 {
			gets = true
		}
		if ch.Delta.Sign() < 0 || len(ch.Out) > 0 {
			lostAny = true
			if ch.Asset.Standard == AssetNative {
				lostNative.Neg(ch.Delta.Int)
			}
		}
	}
	var out []Finding
	if root := c.rootCall(); root != nil && lostAny && !gets {
		for _, call := range c.Calls() {
			if call.Name != "" && swapName().MatchString(call.Name) && !strings.Contains(strings.ToLower(call.Name), "ownership") {
				out = append(out, r.finding(Danger, "A trade ("+call.Name+") that returns nothing",
					"The input calls "+call.Name+", a trade, but simulated on your node "+accountPhrase(c, sim)+" gives assets away and receives nothing back.",
					TxPath(call, ""), "Do not sign: a trade that pays nothing back is not a trade."))
				break
			}
		}
	}
	intent := c.cfg.Intent
	if intent == "" {
		return out
	}
	if intentGet().MatchString(intent) && lostAny && !gets {
		out = append(out, r.finding(Danger, "You expect something back; the simulation gives you nothing",
			"You said: \""+intent+"\". Simulated on your node, "+accountPhrase(c, sim)+" gives assets away and receives nothing.",
			"simulation.changes", "Do not sign until you know why nothing comes back."))
	}
	if m := intentPay().FindStringSubmatch(intent); m != nil && lostNative.Sign() > 0 {
		said, ok := new(big.Float).SetString(m[1])
		if ok {
			wei, _ := new(big.Float).Mul(said, big.NewFloat(1e18)).Int(nil)
			// 1% over what was said, for rounding in the words.
			if limit := new(big.Int).Div(new(big.Int).Mul(wei, big.NewInt(101)), big.NewInt(100)); lostNative.Cmp(limit) > 0 {
				out = append(out, r.finding(Danger, "You said "+m[1]+" ETH; the simulation takes "+label.Units(lostNative, 18)+" ETH",
					"You said: \""+intent+"\". Simulated on your node, "+accountPhrase(c, sim)+" loses "+label.Units(lostNative, 18)+" ETH, more than you said.",
					"simulation.changes", "Do not sign: the transaction takes more than you mean to pay."))
			}
		}
	}
	return out
}

// nodeChain is TG1005: the node is on another chain than the input, so
// its simulation says nothing about it.
func nodeChain(c *Context, r *Rule) []Finding {
	s := c.cfg.Sim
	if s == nil || s.Facts.ChainID == 0 {
		return nil
	}
	want := chainOf(c.In, c.cfg)
	if want == 0 || want == s.Facts.ChainID {
		return nil
	}
	return []Finding{r.finding(Caution, fmt.Sprintf("Your node is on %s, the input is for %s: not simulated", label.ChainName(s.Facts.ChainID), label.ChainName(want)),
		fmt.Sprintf("The node answered eth_chainId %d, the input is for chain %d. A simulation there would describe another chain's state, so none is shown: the verdict is the rules' alone.", s.Facts.ChainID, want),
		"simulation.facts.chainId", "Point --rpc at a node of the input's chain.")}
}

// nonceGap is TG1006: the transaction's nonce is used already, or leaves a
// gap before it.
func nonceGap(c *Context, r *Rule) []Finding {
	s := c.cfg.Sim
	if s == nil || s.Facts.Nonce == nil || c.In.Tx == nil || c.In.Tx.Nonce == nil || s.Status == SimUnavailable && s.Facts.ChainID == 0 {
		return nil
	}
	have, next := *c.In.Tx.Nonce, *s.Facts.Nonce
	switch {
	case have < next:
		return []Finding{r.finding(Caution, fmt.Sprintf("Nonce %d is used already (the account is at %d)", have, next),
			"The node has mined a transaction with this nonce from this account: this one cannot be mined. If it replaces a pending one, check that one too.",
			"tx.nonce", "Use the account's next nonce.")}
	case have > next:
		return []Finding{r.finding(Caution, fmt.Sprintf("Nonce %d leaves a gap (the account is at %d)", have, next),
			fmt.Sprintf("This transaction cannot be mined until %d earlier ones are. Signed, it waits for them: whoever holds it can send it then, long after you have forgotten it.", have-next),
			"tx.nonce", "Sign transactions with the account's next nonce.")}
	}
	return nil
}

// shortFunds is TG1007: the account cannot pay the value and the most the
// fee may cost.
func shortFunds(c *Context, r *Rule) []Finding {
	// The balance is read only from a node on the input's chain; the
	// simulation itself may have failed for this very reason.
	s, tx := c.cfg.Sim, c.In.Tx
	if s == nil || s.Facts.Balance == nil || tx == nil {
		return nil
	}
	need := new(big.Int)
	if tx.Value.Int != nil {
		need.Add(need, tx.Value.Int)
	}
	fee := tx.MaxFeePerGas
	if fee == nil {
		fee = tx.GasPrice
	}
	if fee != nil && fee.Int != nil && tx.Gas != nil {
		need.Add(need, new(big.Int).Mul(fee.Int, new(big.Int).SetUint64(*tx.Gas)))
	}
	if need.Sign() == 0 || s.Facts.Balance.Cmp(need) >= 0 {
		return nil
	}
	return []Finding{r.finding(Caution, "Not enough ETH: the account holds "+label.Units(s.Facts.Balance.Int, 18)+", the transaction may cost "+label.Units(need, 18),
		"Value plus the most the fee may cost is more than the account's balance at the node's latest block: the node would refuse the transaction.",
		"tx.value", "Fund the account or lower the value.")}
}

// callToAccount is TG1008: calldata sent to an address with no code, where
// nothing runs: a mistyped or poisoned contract address, or data dressed
// up to look like a call.
func callToAccount(c *Context, r *Rule) []Finding {
	s, tx := c.cfg.Sim, c.In.Tx
	if s == nil || tx == nil || tx.To == nil || len(tx.Data) < 4 || s.Status == SimUnavailable {
		return nil
	}
	f, ok := s.Facts.CodeOf(tx.To.Address)
	if !ok || f.Size > 0 {
		return nil
	}
	for _, a := range tx.Authorizations {
		if a.Authority != nil && a.Authority.Address == tx.To.Address {
			return nil // the authorization gives it code first
		}
	}
	what := "The call"
	if tx.Call != nil && tx.Call.Name != "" {
		what = "The call to " + tx.Call.Name
	}
	return []Finding{r.finding(Caution, tx.To.Address.Hex()+" has no code: the call does nothing",
		what+" goes to an account with no code on your node's chain, so nothing runs: the data is ignored and any value is simply sent there. A token or app address never looks like this.",
		"tx.to", "Check the address against the app's or token's official one.")}
}

// exposure is TG1009: what a signature used later can take, from the
// signer's balances and allowances on the node.
func exposure(c *Context, r *Rule) []Finding {
	s := c.cfg.Sim
	if s == nil || s.Status != SimExposure {
		return nil
	}
	var out []Finding
	for _, e := range s.Exposure {
		if e.Balance == nil {
			continue
		}
		can := new(big.Int).Set(e.Balance.Int)
		if e.Signed != nil && e.Signed.Cmp(can) < 0 {
			can.Set(e.Signed.Int)
		}
		if e.Allowance != nil && e.Allowance.Cmp(can) < 0 {
			can.Set(e.Allowance.Int)
		}
		who := shortAddrPhrase(c, e.Spender)
		var title, expl string
		switch {
		case can.Sign() == 0 && e.Balance.Sign() == 0:
			title = "This signature lets " + who + " take " + assetSymbol(e.Asset) + ": you hold none today"
			expl = "Your node says the account holds no " + assetSymbol(e.Asset) + " now; the signature stays usable, so anything that arrives before it expires is exposed."
		case can.Sign() == 0:
			title = "This signature lets " + who + " take " + assetSymbol(e.Asset) + ": nothing today, until you approve " + shortAddrPhrase(c, e.AllowanceTo)
			expl = "The tokens move with your allowance to " + addrPhrase(c, e.AllowanceTo) + ", which is zero now; approving it later makes this signature live."
		default:
			share := ""
			if can.Cmp(e.Balance.Int) >= 0 {
				share = ": all you hold"
			} else if pct := new(big.Int).Div(new(big.Int).Mul(can, big.NewInt(100)), e.Balance.Int); pct.Sign() > 0 {
				share = ": " + pct.String() + "% of what you hold"
			}
			title = "This signature lets " + who + " take up to " + assetAmount(e.Asset, can, nil) + share
			expl = "Read from your node: the account holds " + assetAmount(e.Asset, e.Balance.Int, nil)
			if e.Allowance != nil {
				expl += " and allows " + addrPhrase(c, e.AllowanceTo) + " " + allowanceWords(e)
			}
			expl += ". A signature is used later, by someone else, so it cannot be simulated: this is the most it can take today."
		}
		out = append(out, r.finding(Info, title, expl, e.Path, ""))
	}
	return out
}

func allowanceWords(e Exposure) string {
	if label.Unlimited(e.Allowance.Int) {
		return "an unlimited amount"
	}
	return assetAmount(e.Asset, e.Allowance.Int, nil)
}

// unreadable is TG1010: the input made the node's answer too large to read
// (a flood of logs, a huge return): whatever it does there is hidden.
func unreadable(c *Context, r *Rule) []Finding {
	s := c.cfg.Sim
	if s == nil || s.Unreadable == "" {
		return nil
	}
	return []Finding{r.finding(Danger, "The simulation cannot be read in full: "+s.Unreadable,
		"Simulated on your node, this input produces more than txguard reads of one answer ("+s.Unreadable+"). Honest transactions never come near that; a drainer can, to bury what it takes. What could not be read is judged as hidden.",
		"simulation", "Do not sign unless you know exactly what this contract does.")}
}
