package guard

import (
	"fmt"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/typeddata"
)

// Rules TG201-TG207: signatures that move assets without a transaction
// (permits, Permit2, Seaport orders, EIP-3009 authorizations) and
// signatures of things a person cannot read (eth_sign, binary or hex
// personal_sign, malformed sign-ins). The permit and order rules also judge
// the same structures when a transaction submits them on-chain.

// erc2612Permit is TG201: EIP-2612 permits (value), DAI's (allowed) and
// ERC-4494 NFT permits (tokenId), as typed data or as permit(...) calls.
//
//   - danger: the spender is unknown; the value is unlimited or huge (a
//     dapp that needs a permit for one action signs that action's amount);
//     the permit never expires (DAI expiry 0) or lasts more than a year.
//   - caution: DAI's allowed=true to a known spender: DAI cannot express a
//     bounded permit, so this is the only way a real dapp can use it.
//   - info: a bounded, short-lived permit to a known spender.
//
// value 0 and allowed=false grant nothing and are quiet.
func erc2612Permit(c *Context, r *Rule) []Finding {
	var out []Finding
	if td := c.In.TypedData; td != nil && td.PrimaryType == "Permit" && td.Domain.VerifyingContract != nil {
		if _, ok := td.Lookup("spender"); ok {
			p := tokenPermit{token: td.Domain.VerifyingContract.Address, signed: true}
			p.spender, p.spenderPath = tdAddr(td, "spender"), tdPath("spender")
			if f, ok := td.Lookup("value"); ok {
				p.value, p.valueHuman, p.valuePath = fieldBig(f), f.Human, tdPath("value")
			}
			if f, ok := td.Lookup("allowed"); ok {
				p.dai, p.allowed, p.valuePath = true, f.Value == "true", tdPath("allowed")
			}
			if f, ok := td.Lookup("tokenId"); ok {
				p.tokenID, p.valuePath = fieldBig(f), tdPath("tokenId")
			}
			for _, n := range []string{"deadline", "expiry"} {
				if f, ok := td.Lookup(n); ok {
					p.deadline, p.deadlinePath = fieldBig(f), tdPath(n)
				}
			}
			out = append(out, p.findings(c, r)...)
		}
	}
	for _, call := range c.Calls() {
		if call.Kind != calldata.KindCall || call.Target == nil || call.Name != "permit" {
			continue
		}
		p := tokenPermit{token: call.Target.Address, spender: argAddr(call.Args, "spender"), spenderPath: TxPath(call, "spender")}
		p.owner = argAddr(call.Args, "owner")
		switch call.Source {
		case "erc20":
			p.value, p.valueHuman, p.valuePath = argBig(call.Args, "value"), argHuman(call.Args, "value"), TxPath(call, "value")
			p.deadline, p.deadlinePath = argBig(call.Args, "deadline"), TxPath(call, "deadline")
		case "dai":
			allowed, _ := call.Arg("allowed")
			p.owner = argAddr(call.Args, "holder")
			p.dai, p.allowed, p.valuePath = true, allowed.Value == "true", TxPath(call, "allowed")
			p.deadline, p.deadlinePath = argBig(call.Args, "expiry"), TxPath(call, "expiry")
		default:
			continue
		}
		out = append(out, p.findings(c, r)...)
	}
	return out
}

// tokenPermit is one EIP-2612, DAI or ERC-4494 permit.
type tokenPermit struct {
	token, spender         common.Address
	owner                  common.Address // on-chain: who signed it
	value                  *big.Int       // EIP-2612
	valueHuman             string
	dai, allowed           bool     // DAI
	tokenID                *big.Int // ERC-4494
	deadline               *big.Int
	signed                 bool
	spenderPath, valuePath string
	deadlinePath           string
}

// grantWords is what a permit grants, as short as a title needs it.
func (p tokenPermit) grantWords(c *Context) string {
	switch {
	case p.dai:
		return "unlimited " + tokenShort(c, p.token)
	case p.tokenID != nil:
		return "NFT #" + p.tokenID.String() + " of " + shortAddr(c, p.token)
	}
	return amountShort(c, p.token, p.value, p.valueHuman)
}

func (p tokenPermit) findings(c *Context, r *Rule) []Finding {
	var what string
	j := judgement{sev: Info, evidence: p.spenderPath}
	switch {
	case p.dai:
		if !p.allowed {
			return nil
		}
		what = "spend all of your " + tokenName(c, p.token) + ", without limit"
		if c.WellKnown(p.spender) {
			j.add(Caution, p.valuePath, "DAI-style permits cannot set an amount: allowed=true is unlimited.")
		}
	case p.tokenID != nil:
		what = "take your NFT #" + p.tokenID.String() + " of " + collectionOf(c, p.token)
	case p.value != nil:
		if p.value.Sign() == 0 {
			return nil
		}
		what = "spend " + upToPhrase(c, p.token, p.value, p.valueHuman)
		if largeTokenAmount(c, p.token, p.value) {
			j.add(Danger, p.valuePath, "The amount is unlimited: a dapp that needs a permit for one action asks for that action's amount.")
		}
	default:
		return nil
	}
	if !c.WellKnown(p.spender) {
		j.add(Danger, p.spenderPath, "Permit phishing works exactly like this: a signature that hands your tokens to the phisher's own address.")
	}
	switch {
	case p.dai && p.deadline != nil && p.deadline.Sign() == 0:
		j.add(Danger, p.deadlinePath, "Its expiry is 0, which for DAI-style permits means it never expires.")
	case beyondYear(c, p.deadline):
		j.add(Danger, p.deadlinePath, lastsPhrase("It", p.deadline))
	}
	lead := "This permit lets"
	switch {
	case p.signed:
		lead = "Signing this permit costs no gas and shows nothing on-chain, but lets"
	case p.owner != common.Address{} && !isSigner(c, p.owner):
		lead = "This submits a permit signed by " + addrPhrase(c, p.owner) + ", which lets"
		what = strings.Replace(what, "your", "their", 1)
	}
	explanation := fmt.Sprintf("%s %s %s.", lead, addrPhrase(c, p.spender), what)
	if len(j.reasons) > 0 {
		explanation += " " + strings.Join(j.reasons, " ")
	}
	// The title names what and to whom: "Risky permit: unlimited USDC to
	// 0x3C44…93BC (unknown)".
	title := map[Level]string{Info: "Permit", Caution: "DAI permit", Danger: "Risky permit"}[j.sev] +
		": " + p.grantWords(c) + " to " + shortAddr(c, p.spender)
	advice := "Fine if you are using this dapp right now."
	switch j.sev {
	case Caution:
		advice = "Use it only with a dapp you trust; revoke the allowance at revoke.cash when done."
	case Danger:
		advice = "Reject unless you know the spender: a signed permit becomes a full allowance the moment anyone submits it. " +
			"If it was used, revoke the allowance at revoke.cash."
	}
	return []Finding{r.finding(j.sev, title, explanation, j.evidence, advice)}
}

// permit2Signature is TG202: Permit2 typed data (allowances and signature
// transfers), judged as TG105 judges them on-chain, so that signing a
// PermitSingle and later sending it through the Universal Router get the
// same level. The one addition is the verifying contract: a domain that
// says "Permit2" but binds to another, unknown contract is an impostor
// (danger).
func permit2Signature(c *Context, r *Rule) []Finding {
	td := c.In.TypedData
	if td == nil {
		return nil
	}
	vc := td.Domain.VerifyingContract
	if td.Domain.Name != "Permit2" && (vc == nil || !isPermit2(c, vc.Address)) {
		return nil
	}
	req := permit2Request{signed: true, spender: tdAddr(td, "spender"), spenderPath: tdPath("spender")}
	if _, ok := td.Lookup("spender"); !ok {
		return nil
	}
	for _, n := range []string{"sigDeadline", "deadline"} {
		if f, ok := td.Lookup(n); ok {
			req.deadline, req.deadlinePath = fieldBig(f), tdPath(n)
		}
	}
	// Allowances list "details"; signature transfers "permitted".
	list, ok := td.Lookup("details")
	base := "details"
	if !ok {
		list, _ = td.Lookup("permitted")
		base, req.transfer = "permitted", true
	}
	grant := func(f typeddata.Field, path string) {
		g := permit2Grant{token: common.HexToAddress(fieldNamed(f.Fields, "token").Value), amountPath: tdPath(path + ".amount")}
		amount := fieldNamed(f.Fields, "amount")
		g.amount, g.amountHuman = fieldBig(amount), amount.Human
		if exp, ok := fieldIn(f.Fields, "expiration"); ok {
			g.expiration, g.expirationPath = fieldBig(exp), tdPath(path+".expiration")
		}
		req.grants = append(req.grants, g)
	}
	if fieldNamed(list.Fields, "token").Name != "" {
		grant(list, base)
	} else {
		for _, e := range list.Fields {
			grant(e, base+e.Name)
		}
	}
	if vc != nil {
		req.verifier = &vc.Address
	}
	return req.findings(c, r)
}

// isSigner reports whether a is the account that signs the input.
func isSigner(c *Context, a common.Address) bool {
	s, ok := c.Signer()
	return ok && s == a
}

// isPermit2 reports Uniswap's Permit2 deployments by their built-in label
// (a contact named "Uniswap Permit2" is not one).
func isPermit2(c *Context, a common.Address) bool {
	l := c.Label(a)
	return l.Source == label.SourceBuiltin && l.Label == "Uniswap Permit2"
}

// marketplaceOrder is TG203: a Seaport order whose offerer gives items
// away. In typed data the signer is the offerer: critical. On-chain the
// sender fills an order: critical when it is the sender's own order (or
// the sender is unknown), caution when buying such an order from someone
// else, whose items were likely obtained by this very trick.
func marketplaceOrder(c *Context, r *Rule) []Finding {
	var out []Finding
	report := func(o seaportOrder, sev Level, signed bool) {
		how := seaportUnderpaid(o, func(it seaportItem) int { return seaportDecimals(c, it) })
		if how == seaportFair {
			return
		}
		var gives []string
		for _, it := range o.offer {
			gives = append(gives, seaportItemPhrase(c, it))
		}
		seller := "the seller"
		if signed || sev == Critical {
			seller = "you"
		}
		paid := map[seaportPay]string{
			seaportFree:     "asks nothing in return",
			seaportToOthers: "pays " + seller + " nothing: the whole price goes to other addresses",
			seaportDust:     "pays " + seller + " next to nothing (under 1% of the price, or a dust amount)",
		}[how]
		title, advice := "Listing gives your items away", "Reject. A real listing pays you its price minus small fees; a site that asks you to sign this to log in, verify or claim something is a drainer."
		var expl string
		switch {
		case signed:
			expl = fmt.Sprintf("This Seaport order offers your %s and %s. Once signed, anyone can fill it and take them: this is how fake-listing drainers steal NFTs and tokens.",
				joinAnd(gives), paid)
		case sev == Critical:
			expl = fmt.Sprintf("This fills your own Seaport order, which gives away %s and %s.", joinAnd(gives), paid)
		default:
			title, advice = "Order pays its seller nothing", "Do not fill orders that pay their seller nothing."
			expl = fmt.Sprintf("This fills a Seaport order by %s that gives away %s and %s. Sellers do not do that on purpose: the order was probably signed on a phishing site, and the items are probably stolen.",
				addrPhrase(c, o.offerer), joinAnd(gives), paid)
		}
		out = append(out, r.finding(sev, title, expl, o.considerationPath, advice))
	}
	if td := c.In.TypedData; td != nil && (td.Domain.Name == "Seaport" || td.Domain.VerifyingContract != nil &&
		strings.HasPrefix(c.Label(td.Domain.VerifyingContract.Address).Label, "Seaport ")) {
		for _, o := range seaportTypedOrders(td.Message, "typedData.message") {
			report(o, Critical, true)
		}
	}
	signer, known := c.Signer()
	for _, call := range c.Calls() {
		if call.Kind != calldata.KindCall || call.Source != "seaport" {
			continue
		}
		for _, o := range seaportCallOrders(call, call.Args, "") {
			sev := Critical
			if known && o.offerer != signer {
				sev = Caution
			}
			report(o, sev, false)
		}
	}
	return out
}

// transferAuthorization is TG204: EIP-3009 authorizations (USDC and other
// Circle tokens), as typed data or as calls. Whoever holds the signature
// can move the tokens to `to` once, with no allowance to revoke: danger
// when `to` is unknown, caution otherwise.
func transferAuthorization(c *Context, r *Rule) []Finding {
	type auth struct {
		token, from, to common.Address
		value           *big.Int
		human, toPath   string
		signed, receive bool
	}
	var auths []auth
	if td := c.In.TypedData; td != nil && td.Domain.VerifyingContract != nil &&
		(td.PrimaryType == "TransferWithAuthorization" || td.PrimaryType == "ReceiveWithAuthorization") {
		v, _ := td.Lookup("value")
		auths = append(auths, auth{td.Domain.VerifyingContract.Address, tdAddr(td, "from"), tdAddr(td, "to"), fieldBig(v), "", tdPath("to"), true,
			td.PrimaryType == "ReceiveWithAuthorization"})
	}
	for _, call := range c.Calls() {
		if call.Kind != calldata.KindCall || call.Target == nil || call.Source != "erc20" ||
			call.Name != "transferWithAuthorization" && call.Name != "receiveWithAuthorization" {
			continue
		}
		auths = append(auths, auth{call.Target.Address, argAddr(call.Args, "from"), argAddr(call.Args, "to"), argBig(call.Args, "value"), argHuman(call.Args, "value"),
			TxPath(call, "to"), false, call.Name == "receiveWithAuthorization"})
	}
	var out []Finding
	for _, a := range auths {
		moved := amountShort(c, a.token, a.value, a.human) + " to " + shortRecipient(c, a.to)
		sev, title := Caution, "Signed transfer of "+moved
		advice := "Check the amount and the recipient: once signed, the transfer cannot be cancelled by revoking anything."
		if !c.WellKnown(a.to) && !isSigner(c, a.to) {
			sev, title = Danger, "Signed transfer of "+moved
			advice = "Reject unless you meant to pay this address: whoever holds the signature can send the tokens."
		}
		lead := "This authorization moves"
		if a.signed {
			lead = "Signing this authorizes a transfer of"
		}
		who := "anyone who holds the signature can submit it"
		if a.receive {
			who = "only the recipient can submit it"
		}
		from := "your wallet"
		if !a.signed && !isSigner(c, a.from) {
			from = addrPhrase(c, a.from)
		}
		out = append(out, r.finding(sev, title,
			fmt.Sprintf("%s %s from %s to %s; %s, and there is no allowance to revoke afterwards.",
				lead, amountPhrase(c, a.token, a.value, a.human), from, addrPhrase(c, a.to), who),
			a.toPath, advice))
	}
	return out
}

// blindSigning is TG205: eth_sign of a bare hash. It can be the hash of a
// transaction, a permit or an order, and nothing shows which: critical,
// always.
//
// The same blind signature made by a Safe or smart account is critical too:
// a SafeMessage of a bare hash, SignMessageLib's signMessage of one (the
// Safe signs it through EIP-1271), approveHash (the Safe approves a hash
// as if its owners had signed it).
func blindSigning(c *Context, r *Rule) []Finding {
	var out []Finding
	if c.In.Hash != nil {
		out = append(out, r.finding(Critical, "Blind signature (eth_sign)",
			"You are asked to sign a bare 32-byte hash. It could be a transaction that empties your wallet or a permit for all your tokens: nothing shows which, not even to your wallet.",
			"hash", "Reject: no honest dapp needs eth_sign. Turn eth_sign off in your wallet if it allows."))
	}
	if td := c.In.TypedData; td != nil && td.PrimaryType == "SafeMessage" {
		if f, ok := td.Lookup("message"); ok && len(f.Value) == 66 {
			out = append(out, r.finding(Critical, "The Safe signs a bare 32-byte hash",
				"This SafeMessage makes the Safe sign a 32-byte value, which is a hash of something nobody shows: it could be a transaction, a permit or an order that moves everything the Safe holds.",
				"typedData.message.message", "Reject unless you can recompute this hash from what it stands for."))
		}
	}
	for _, call := range c.Calls() {
		switch {
		case call.Signature == "signMessage(bytes)" && len(call.Args) == 1 && len(call.Args[0].Bytes()) == 32:
			out = append(out, r.finding(Critical, "The account signs a bare 32-byte hash (signMessage)",
				"This makes the account sign a 32-byte hash through SignMessageLib: contracts will accept it as the account's signature of whatever that hash stands for, and nothing shows what that is.",
				TxPath(call, call.Args[0].Name), "Reject unless you can recompute this hash from what it stands for."))
		case call.Signature == "setPreSignature(bytes,bool)" && len(call.Args) == 2 && call.Args[1].Value == "true":
			out = append(out, r.finding(Critical, "A CoW order approved by its id alone (setPreSignature)",
				"This approves, on-chain, the CoW Protocol order with this id: the id is a hash of the order, and nothing here shows what the order sells, for what, or to whom it pays.",
				TxPath(call, call.Args[0].Name), "Reject unless you placed this order yourself and checked its id in the CoW interface."))
		case call.Signature == "approveHash(bytes32)":
			out = append(out, r.finding(Critical, "A Safe approves a bare hash (approveHash)",
				fmt.Sprintf("This approves hash %s on %s as if its owner had signed it: if that is a transaction hash of that Safe, it counts as this account's signature. Nothing shows what the hash stands for.", call.Args[0].Value, xferWho(c, call.Target.Address)),
				TxPath(call, ""), "Reject unless you recomputed this hash from the transaction it approves."))
		}
	}
	return out
}

// messageLooksLikeData is TG206: personal_sign of something that is not
// text. Danger, not critical: personal_sign prefixes "\x19Ethereum Signed
// Message:\n<length>", so the signature is never valid as a transaction
// signature or as eth_sign of the same hash. But contracts that check
// prefixed hashes (meta-transaction relayers, some exchanges and EIP-1271
// wallets) do accept such a signature as an authorization, and the signer
// cannot tell what it authorizes.
func messageLooksLikeData(c *Context, r *Rule) []Finding {
	m := c.In.Message
	if m == nil {
		return nil
	}
	const advice = "Reject unless you know exactly what these bytes are: honest sign-in and consent messages are readable text."
	switch {
	case m.LooksLike == "transaction":
		return []Finding{r.finding(Danger, "Message is a transaction",
			"The bytes to sign are an Ethereum transaction, not text. Signed through personal_sign it cannot be broadcast as such, but a site asking for it is trying to get a signature over something you cannot read.",
			"message.bytes", advice)}
	case m.LooksLike == "hash" && !m.Printable:
		// Thirty-two printable bytes are text that happens to be 32 long
		// (random bytes are almost never all printable).
		return []Finding{r.finding(Danger, "Message is a hash",
			"The message is a bare 32-byte hash: it can stand for an order, a transfer or a login, and nothing shows which. Some contracts accept a personal_sign signature of a hash as authorization.",
			"message.bytes", advice)}
	case m.LooksLike == "hex":
		return []Finding{r.finding(Danger, "Message is hex, not text",
			"The message is a string of hex digits: data encoded so you cannot read it. What it authorizes depends on who decodes it.",
			"message.text", advice)}
	case !m.Printable:
		return []Finding{r.finding(Danger, "Message is not plain text",
			"The message is not readable text: it holds bytes your wallet cannot show faithfully (binary data, control characters or text-direction overrides).",
			"message.bytes", advice)}
	}
	return nil
}

// siweClockSkew is how far in the future a sign-in may say it was issued
// before that means something: clocks drift by seconds or minutes, and a
// message "issued" hours ahead was made to be used later.
const siweClockSkew = time.Hour

// siweSuspicious is TG207: Sign-In with Ethereum messages that are
// malformed, for another chain or account (danger: the signature serves
// someone else's session), or outside their validity window (caution: a
// server should refuse them, so something is off).
func siweSuspicious(c *Context, r *Rule) []Finding {
	m := c.In.Message
	if m == nil {
		return nil
	}
	if m.SIWEError != "" {
		return []Finding{r.finding(Danger, "Malformed sign-in message",
			"The message presents itself as Sign-In with Ethereum but breaks its format ("+strings.TrimPrefix(m.SIWEError, "message: ")+"). A real site's sign-in library produces well-formed messages; this one may say something other than what your wallet shows.",
			"message.siweError", "Reject, and sign in only from the site's own address.")}
	}
	s := m.SIWE
	if s == nil {
		return nil
	}
	var out []Finding
	if want := c.Chain(); want != 0 {
		if id, err := strconv.ParseUint(s.ChainID, 10, 64); err == nil && id != want {
			out = append(out, r.finding(Danger, "Sign-in for another chain",
				fmt.Sprintf("This sign-in is for chain %d, but you expect chain %d. A site asking you to sign in on another chain may be a copy of the real one.", id, want),
				"message.siwe.chainId", "Reject unless you meant to use that chain."))
		}
	}
	if signer, ok := c.Signer(); ok && s.Address.Address != signer {
		out = append(out, r.finding(Danger, "Sign-in for another account",
			fmt.Sprintf("The message signs in %s, but the account asked to sign is %s.", addrPhrase(c, s.Address.Address), addrPhrase(c, signer)),
			"message.siwe.address", "Reject: a sign-in names the account that signs it."))
	}
	now := c.Now()
	if u, err := url.Parse(s.URI); err == nil && u.Host != "" && !sameSite(u.Host, s.Domain) {
		out = append(out, r.finding(Danger, "Sign-in for "+s.Domain+" that sends you to "+u.Host,
			fmt.Sprintf("The message asks to sign in to %s, but its URI is on %s. A real site's sign-in names itself twice; a phishing page copies the real domain into the first line and keeps its own address in the URI, where the session it gets is valid.", s.Domain, u.Host),
			"message.siwe.uri", "Reject, and sign in only from the site's own address."))
	}
	if t, err := time.Parse(time.RFC3339, s.ExpirationTime); err == nil && t.Before(now) {
		// A real site makes a fresh message for each sign-in: an expired
		// one was made earlier, for someone, and is being replayed.
		out = append(out, r.finding(Danger, "Sign-in already expired",
			"This sign-in expired at "+s.ExpirationTime+". A real site never asks you to sign an expired login: the message was prepared earlier, for another purpose, and is being replayed.",
			"message.siwe.expirationTime", "Reject. Reload the real site and sign the fresh message it makes."))
	}
	if t, err := time.Parse(time.RFC3339, s.NotBefore); err == nil && t.After(now) {
		out = append(out, r.finding(Caution, "Sign-in not valid yet",
			"This sign-in only becomes valid at "+s.NotBefore+": it was made to be used later, perhaps by someone else.",
			"message.siwe.notBefore", "Reject unless you expect a delayed sign-in."))
	}
	if t, err := time.Parse(time.RFC3339, s.IssuedAt); err == nil && t.After(now.Add(siweClockSkew)) {
		out = append(out, r.finding(Caution, "Sign-in issued in the future",
			"This sign-in says it was issued at "+s.IssuedAt+", later than now: it was prepared in advance, which a login does not need.",
			"message.siwe.issuedAt", "Reload the site and sign a fresh message."))
	}
	return out
}

// sameSite reports whether a URI's host belongs to a sign-in's domain: the
// same host (ports aside, case-insensitive) or a subdomain of it.
func sameSite(host, domain string) bool {
	strip := func(h string) string {
		h = strings.ToLower(strings.TrimSuffix(h, "."))
		if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
			h = h[:i]
		}
		return h
	}
	host, domain = strip(host), strip(domain)
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// --- Seaport ---

// seaportItem is one offer or consideration item.
type seaportItem struct {
	itemType   int // 0 native, 1 ERC-20, 2 ERC-721, 3 ERC-1155, 4 and 5 the same with criteria
	token      common.Address
	id         *big.Int
	start, end *big.Int
	recipient  common.Address // consideration items only
}

// seaportOrder is an order's parameters as the offerer signed them.
type seaportOrder struct {
	offerer              common.Address
	offer, consideration []seaportItem
	considerationPath    string
}

// seaportMinShare: an offerer paid less than 1% of what the buyer pays in
// every currency of the order is not selling, whatever the fees.
const seaportMinShare = 100

// seaportPay says how an order pays its offerer.
type seaportPay int

const (
	seaportFair     seaportPay = iota // some currency pays the offerer a real share
	seaportFree                       // no consideration at all
	seaportToOthers                   // all consideration goes to others
	seaportDust                       // under 1%, or dust, in every currency
)

// seaportUnderpaid reports an order that gives its offer away: no currency
// of its consideration pays the offerer at least 1% of the total paid in it
// and more than dust (a millionth of a unit; drainers use 1 wei). A normal
// listing pays the offerer most of one currency; a bid or a swap pays an
// NFT, which is never dust. Seaport interpolates amounts linearly between
// start and end, so the offerer's share is monotonic in time and checking
// both ends covers every moment. decimals is a fungible item's decimals, or
// negative when unknown (an unlisted ERC-20) or not fungible.
func seaportUnderpaid(o seaportOrder, decimals func(seaportItem) int) seaportPay {
	if len(o.offer) == 0 {
		return seaportFair
	}
	type key struct {
		itemType int
		token    common.Address
	}
	others := map[common.Address]bool{}
	for _, it := range o.consideration {
		if it.recipient != o.offerer {
			others[it.recipient] = true
		}
	}
	for _, end := range []bool{false, true} {
		total, paid := map[key]*big.Int{}, map[key]*big.Int{}
		var keys []key
		dec := map[key]int{}
		for _, it := range o.consideration {
			k := key{it.itemType, it.token}
			switch it.itemType {
			case 4, 5:
				k.itemType -= 2
			}
			if total[k] == nil {
				total[k], paid[k] = new(big.Int), new(big.Int)
				keys = append(keys, k)
				dec[k] = decimals(it)
			}
			amt := it.start
			if end {
				amt = it.end
			}
			if amt == nil {
				continue
			}
			total[k].Add(total[k], amt)
			if it.recipient == o.offerer {
				paid[k].Add(paid[k], amt)
			}
		}
		fair, anything := false, false
		for _, k := range keys {
			p := paid[k]
			if p.Sign() == 0 {
				continue
			}
			anything = true
			share := new(big.Int).Mul(p, big.NewInt(seaportMinShare))
			if share.Cmp(total[k]) < 0 {
				continue
			}
			if d := dec[k]; d >= 0 && (k.itemType == 0 || k.itemType == 1) {
				// Under a millionth of a unit; a token of six decimals or
				// fewer is a stablecoin's kind, where under a cent is dust
				// (a millionth of USDC would be its one base unit).
				exp := max(d-6, 0)
				if d <= 6 {
					exp = max(d-2, 0)
				}
				if p.Cmp(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)) < 0 {
					continue
				}
			}
			fair = true
		}
		if fair {
			continue
		}
		switch {
		case !anything && len(others) == 0:
			return seaportFree
		case !anything:
			return seaportToOthers
		}
		return seaportDust
	}
	return seaportFair
}

// seaportDecimals is the decimals of a fungible item: 18 for the native
// currency, a listed token's own, else -1.
func seaportDecimals(c *Context, it seaportItem) int {
	switch it.itemType {
	case 0:
		return 18
	case 1:
		if t, ok := c.Token(it.token); ok {
			return int(t.Decimals)
		}
	}
	return -1
}

func seaportItemPhrase(c *Context, it seaportItem) string {
	amt := it.start
	if amt == nil {
		amt = new(big.Int)
	}
	id := "?"
	if it.id != nil {
		id = it.id.String()
	}
	switch it.itemType {
	case 0:
		return c.lab.Ether(amt)
	case 1:
		return amountPhrase(c, it.token, amt, "")
	case 2:
		return "NFT #" + id + " of " + collectionOf(c, it.token)
	case 3:
		return amt.String() + " of item #" + id + " of " + collectionOf(c, it.token)
	case 4, 5:
		return "any NFT of " + collectionOf(c, it.token)
	}
	return "an item of unknown type " + strconv.Itoa(it.itemType)
}

func collectionOf(c *Context, a common.Address) string {
	if l := c.Label(a); l.Known() {
		return l.Label
	}
	return "the collection at " + a.Hex()
}

// seaportTypedOrders finds OrderComponents in typed data, at the top
// (OrderComponents) or anywhere below (the tree of a BulkOrder).
func seaportTypedOrders(fields []typeddata.Field, path string) []seaportOrder {
	if off, ok := fieldIn(fields, "offerer"); ok {
		offer, _ := fieldIn(fields, "offer")
		cons, _ := fieldIn(fields, "consideration")
		o := seaportOrder{offerer: common.HexToAddress(off.Value), considerationPath: joinPath(path, "consideration")}
		for _, e := range offer.Fields {
			o.offer = append(o.offer, typedItem(e.Fields))
		}
		for _, e := range cons.Fields {
			o.consideration = append(o.consideration, typedItem(e.Fields))
		}
		return []seaportOrder{o}
	}
	var out []seaportOrder
	for _, f := range fields {
		out = append(out, seaportTypedOrders(f.Fields, joinPath(path, f.Name))...)
	}
	return out
}

func typedItem(fs []typeddata.Field) seaportItem {
	t, _ := fieldIn(fs, "itemType")
	it := seaportItem{
		token: common.HexToAddress(fieldNamed(fs, "token").Value),
		id:    fieldBig(fieldNamed(fs, "identifierOrCriteria")),
		start: fieldBig(fieldNamed(fs, "startAmount")),
		end:   fieldBig(fieldNamed(fs, "endAmount")),
	}
	it.itemType, _ = strconv.Atoi(t.Value)
	if r, ok := fieldIn(fs, "recipient"); ok {
		it.recipient = common.HexToAddress(r.Value)
	}
	return it
}

// seaportCallOrders finds order parameters in a Seaport call's arguments:
// OrderParameters (fulfillOrder, matchOrders, ...) and
// BasicOrderParameters (fulfillBasicOrder).
func seaportCallOrders(call *calldata.Call, args []calldata.Arg, path string) []seaportOrder {
	var out []seaportOrder
	for _, a := range args {
		p := joinPath(path, a.Name)
		if _, ok := a.Elem("offerer"); !ok {
			out = append(out, seaportCallOrders(call, a.Elems, p)...)
			continue
		}
		if _, ok := a.Elem("considerationToken"); ok {
			out = append(out, basicOrder(call, a, p))
			continue
		}
		o := seaportOrder{offerer: argAddr(a.Elems, "offerer"), considerationPath: TxPath(call, p+".consideration")}
		offer, _ := a.Elem("offer")
		for _, e := range offer.Elems {
			o.offer = append(o.offer, callItem(e.Elems))
		}
		cons, _ := a.Elem("consideration")
		for _, e := range cons.Elems {
			o.consideration = append(o.consideration, callItem(e.Elems))
		}
		out = append(out, o)
	}
	return out
}

func callItem(args []calldata.Arg) seaportItem {
	it := seaportItem{token: argAddr(args, "token"), id: argBig(args, "identifierOrCriteria"),
		start: argBig(args, "startAmount"), end: argBig(args, "endAmount"), recipient: argAddr(args, "recipient")}
	if t := argBig(args, "itemType"); t != nil && t.IsInt64() {
		it.itemType = int(t.Int64())
	}
	return it
}

// basicOrder rebuilds a basic order as offer and consideration. Its type
// is orderType + 4*route; routes 0-3 pay the offerer in ETH or an ERC-20
// (considerationToken), with additional recipients paid in the same
// currency; routes 4-5 pay the offerer an NFT.
func basicOrder(call *calldata.Call, a calldata.Arg, path string) seaportOrder {
	o := seaportOrder{offerer: argAddr(a.Elems, "offerer"), considerationPath: TxPath(call, path+".considerationAmount")}
	route := 0
	if t := argBig(a.Elems, "basicOrderType"); t != nil && t.IsInt64() {
		route = int(t.Int64()) / 4
	}
	offerType, considerationType := 2, 0
	switch route {
	case 1:
		offerType = 3
	case 2:
		considerationType = 1
	case 3:
		offerType, considerationType = 3, 1
	case 4:
		offerType, considerationType = 1, 2
	case 5:
		offerType, considerationType = 1, 3
	}
	offerAmount := argBig(a.Elems, "offerAmount")
	o.offer = []seaportItem{{itemType: offerType, token: argAddr(a.Elems, "offerToken"), id: argBig(a.Elems, "offerIdentifier"), start: offerAmount, end: offerAmount}}
	amount := argBig(a.Elems, "considerationAmount")
	token := argAddr(a.Elems, "considerationToken")
	o.consideration = []seaportItem{{itemType: considerationType, token: token, id: argBig(a.Elems, "considerationIdentifier"),
		start: amount, end: amount, recipient: o.offerer}}
	if route < 4 {
		extra, _ := a.Elem("additionalRecipients")
		for _, e := range extra.Elems {
			amt := argBig(e.Elems, "amount")
			o.consideration = append(o.consideration, seaportItem{itemType: considerationType, token: token, start: amt, end: amt,
				recipient: argAddr(e.Elems, "recipient")})
		}
	}
	return o
}

// --- typed data ---

// tdPath is the evidence path of a message field.
func tdPath(field string) string { return "typedData.message." + field }

func tdAddr(td *typeddata.TypedData, path string) common.Address {
	f, _ := td.Lookup(path)
	return common.HexToAddress(f.Value)
}

// fieldBig is the integer value of a field, else nil.
func fieldBig(f typeddata.Field) *big.Int {
	v, ok := new(big.Int).SetString(f.Value, 10)
	if !ok {
		return nil
	}
	return v
}

func fieldIn(fs []typeddata.Field, name string) (typeddata.Field, bool) {
	for _, f := range fs {
		if f.Name == name {
			return f, true
		}
	}
	return typeddata.Field{}, false
}

func fieldNamed(fs []typeddata.Field, name string) typeddata.Field {
	f, _ := fieldIn(fs, name)
	return f
}

// joinPath appends a member name, or an index "[1]" without a dot.
func joinPath(path, name string) string {
	switch {
	case path == "":
		return name
	case strings.HasPrefix(name, "["):
		return path + name
	}
	return path + "." + name
}
