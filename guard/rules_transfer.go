package guard

import (
	"cmp"
	"fmt"
	"iter"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/typeddata"
)

// TG3xx: where value goes. Helpers here are prefixed xfer so that the
// other rule files, which share the package, cannot collide with them;
// rules_admin.go uses them too.

// xferLookAlikeDigits is how many leading and trailing hex digits an
// address must share with a contact to count as its look-alike. Wallets
// and explorers abbreviate addresses to about this much (0x7099…79C8), and
// a vanity generator needs ~16^8 tries to match 4+4, which poisoners pay.
const xferLookAlikeDigits = 4

// addressPoisoning (TG301): an address that is not a contact but shares
// its first and last hex digits with one, anywhere in the input.
func addressPoisoning(c *Context, r *Rule) []Finding {
	var out []Finding
	seen := map[common.Address]bool{}
	for _, ref := range xferAddresses(c) {
		// The signer's own side (from, authority) is who signs, not where
		// anything goes; a known address is the real thing.
		if ref.own || seen[ref.addr] || c.WellKnown(ref.addr) {
			continue
		}
		seen[ref.addr] = true
		for e := range xferPoisonTargets(c, ref.addr) {
			head, tail, ok := xferLookAlike(ref.addr, e.Address)
			if !ok {
				continue
			}
			kind := "nobody you know controls it"
			if _, contact := c.cfg.AddressBook.Lookup(e.Address); !contact && e.Label != "your own account" {
				kind = "it is not that contract, and whoever made it controls it"
			}
			hex := ref.addr.Hex()[2:]
			explanation := fmt.Sprintf("%s appears here as %s. It begins 0x%s… and ends …%s, exactly like %s (%s), "+
				"but the digits in between are different: it is another account, and "+kind+". "+
				"Scammers generate addresses like this and slip them into your transaction history (address poisoning) "+
				"so that you copy the wrong one; whatever is sent there is gone.",
				ref.addr.Hex(), ref.role(), strings.ToLower(hex[:head]), strings.ToLower(hex[len(hex)-tail:]), e.Label, e.Address.Hex())
			out = append(out, r.finding(Critical,
				fmt.Sprintf("%s is a look-alike of %s, not the real address", shortHex(ref.addr), e.Label),
				explanation, ref.path,
				"Do not sign. Copy the address from your address book or your wallet, not from your history or an explorer, and compare every character."))
			break
		}
	}
	return out
}

// xferPoisonTargets are the addresses a poisoner imitates that a could
// be imitating (the same first and last four hex digits): the user's
// contacts, the signing account itself, and the well-known contracts and
// tokens of the chain (a spender that copies the Universal Router's first
// and last digits is a look-alike of it, not an unknown contract). Looked
// up by their ends in indexes built once: scanning the book and the chain's
// table for every address of every input was a tenth of a batch's time.
func xferPoisonTargets(c *Context, a common.Address) iter.Seq[label.Entry] {
	ends := label.EndsOf(a)
	return func(yield func(label.Entry) bool) {
		for _, e := range c.cfg.AddressBook.Ending(ends) {
			if !yield(e) {
				return
			}
		}
		for _, e := range c.lab.WellKnownEnding(ends) {
			if !yield(e) {
				return
			}
		}
		if s, ok := c.Signer(); ok && label.EndsOf(s) == ends {
			if _, listed := c.cfg.AddressBook.Lookup(s); !listed {
				yield(label.Entry{Address: s, Label: "your own account"})
			}
		}
	}
}

// xferLookAlike reports whether a imitates b: different addresses whose
// hex digits agree, case-insensitively, on at least the first and last
// xferLookAlikeDigits; head and tail are how many agree at each end.
// Hex digits that agree case-insensitively are equal nibbles, so it
// compares nibbles: the checksummed text would cost a keccak per address
// and contact, for every address of every input.
func xferLookAlike(a, b common.Address) (head, tail int, ok bool) {
	if a == b {
		return 0, 0, false
	}
	const digits = 2 * common.AddressLength
	for head < digits && nibble(a, head) == nibble(b, head) {
		head++
	}
	for tail < digits && nibble(a, digits-1-tail) == nibble(b, digits-1-tail) {
		tail++
	}
	return head, tail, head >= xferLookAlikeDigits && tail >= xferLookAlikeDigits
}

// nibble is the i-th hex digit of a, most significant first.
func nibble(a common.Address, i int) byte {
	if i%2 == 0 {
		return a[i/2] >> 4
	}
	return a[i/2] & 0x0f
}

// transferToTokenContract (TG302): tokens or ETH sent to a token contract,
// which holds them forever.
func transferToTokenContract(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, m := range xferMoves(c) {
		if m.native {
			// A plain ETH send to the wrapped-native token is a deposit.
			// (ETH sent along with a function call is TG605's.)
			tok, ok := c.Token(m.to)
			plain := m.call.Name == xferNativeName || m.call.Kind == calldata.KindCommand
			if !ok || !plain || xferWrapsNative(c, tok) {
				continue
			}
			out = append(out, r.finding(Danger,
				fmt.Sprintf("%s sent to the %s token contract", m.amountText, tok.Symbol),
				fmt.Sprintf("This sends %s straight to %s, the contract of the %s token, not to a person or an exchange. "+
					"The contract has no owner who could send it back: the %s is almost certainly lost.",
					m.amountText, xferWho(c, m.to), tok.Name, xferNative(c)),
				m.toPath, "Do not sign. Check the recipient: you probably pasted the token's address instead of the person's."))
			continue
		}
		tok, ok := c.Token(m.to)
		if !ok || m.kind == xferNFT || m.kind == xferMulti {
			continue
		}
		self := ""
		if m.to == m.token {
			self = " itself"
		}
		out = append(out, r.finding(Danger,
			fmt.Sprintf("Tokens sent to the %s token contract%s", tok.Symbol, self),
			fmt.Sprintf("This %s sends %s to %s, which is the contract of the %s token%s, not a wallet. "+
				"Token contracts cannot send tokens back out: what arrives there is stuck for good, "+
				"and people have lost millions this way.", m.verb, m.amountText, xferWho(c, m.to), tok.Name, self),
			m.toPath, "Do not sign. Check the recipient: you probably pasted a token address instead of the person's."))
	}
	return out
}

// burnAddresses hold no key: what is sent there is gone. 0xdead is the
// customary burn address; the zero address is what an empty field
// decodes to.
var burnAddresses = map[common.Address]bool{
	{}: true,
	common.HexToAddress("0x000000000000000000000000000000000000dEaD"): true,
	common.HexToAddress("0xdEAD000000000000000042069420694206942069"): true,
}

// transferToBurn (TG306): tokens, NFTs or ETH sent to an address nobody
// holds the key to. A token that refuses transfers to the zero address
// makes the transaction fail (the fee is lost); one that accepts them
// destroys what was sent.
func transferToBurn(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, m := range xferMoves(c) {
		if !burnAddresses[m.to] || m.amount != nil && m.amount.Sign() == 0 {
			continue
		}
		where := "the zero address"
		if m.to != (common.Address{}) {
			where = "the burn address " + m.to.Hex()
		}
		what := cmp.Or(m.short, m.amountText)
		out = append(out, r.finding(Danger,
			fmt.Sprintf("%s sent to %s: gone for good", strings.ToUpper(what[:1])+what[1:], where),
			fmt.Sprintf("This %s sends %s to %s, which nobody holds the key to. Whatever arrives there can never be moved again; "+
				"a token that refuses it makes the transaction fail instead, and the fee is lost. "+
				"People do this by mistake when a recipient field is left empty or a form fills it with zeros.",
				m.verb, m.amountText, where),
			m.toPath, "Do not sign. Check the recipient: it should be a person's or an exchange's address, not zeros or dead."))
	}
	return out
}

// transferFromNotSigner (TG303): transferFrom that moves someone else's
// tokens.
func transferFromNotSigner(c *Context, r *Rule) []Finding {
	signer, known := c.Signer()
	if !known {
		return nil // nothing to compare from with
	}
	ctx := xferContexts(c, signer)
	var out []Finding
	for _, m := range xferMoves(c) {
		sender := ctx[m.call].sender
		if m.from == nil || *m.from == signer || *m.from == sender {
			continue
		}
		from := *m.from
		sev, where := Caution, xferWho(c, m.to)
		if m.to != signer && m.to != sender && !c.WellKnown(m.to) {
			sev = Danger
		}
		out = append(out, r.finding(sev,
			fmt.Sprintf("Moves %s out of %s, not yours, to %s", m.short, shortAddr(c, from), shortRecipient(c, m.to)),
			fmt.Sprintf("This %s takes %s from %s, which is not the signing account, and sends it to %s. "+
				"It works only because that account once allowed the caller to spend it. People rarely need to sign this: "+
				"it is how drainers empty wallets that approved them, and how sites make you move tokens you do not own.",
				m.verb, m.amountText, xferWho(c, from), where),
			m.fromPath, fmt.Sprintf("Sign only if the owner of %s asked you to move these tokens to exactly this recipient.", from.Hex())))
	}
	return out
}

// zeroValueTransfer (TG304): a token transfer of nothing, the shape of
// address-poisoning spam.
func zeroValueTransfer(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, m := range xferMoves(c) {
		if m.native || m.amount == nil || m.amount.Sign() != 0 {
			continue
		}
		// transferFrom of "0" on a contract that is not a listed token may
		// be NFT #0; an NFT is never a zero-value transfer.
		if m.kind == xferNFT || m.kind == xferEither {
			continue
		}
		out = append(out, r.finding(Caution,
			fmt.Sprintf("A transfer of zero %s to %s", tokenShort(c, m.token), shortRecipient(c, m.to)),
			fmt.Sprintf("This %s sends 0 tokens of %s to %s. It moves nothing, which is exactly how address-poisoning spam looks: "+
				"zero transfers put a look-alike address into your history so you copy it later.",
				m.verb, xferWho(c, m.token), xferWho(c, m.to)),
			m.amountPath, "If you meant to send tokens, check the amount; if a site asked for this, do not sign."))
	}
	return out
}

// denylistedAddress (TG305): an address on the deny list anywhere in the
// input, structured or buried in raw bytes.
func denylistedAddress(c *Context, r *Rule) []Finding {
	var out []Finding
	seen := map[common.Address]bool{}
	report := func(a common.Address, path, role string) {
		// Denied first: it turns nearly every window of a calldata scan
		// away on a bit test, before any map is touched.
		why, ok := c.Denied(a)
		if !ok || seen[a] {
			return
		}
		seen[a] = true
		out = append(out, r.finding(Critical,
			"Deny-listed address: "+why,
			fmt.Sprintf("%s appears in this input as %s. It is on the deny list: %s. "+
				"Anything sent to it, or any permission given to it, should be treated as lost, "+
				"and for a sanctioned address dealing with it at all may be against the law.", a.Hex(), role, why),
			path, "Do not sign. If you think the listing is wrong, check the address against the list's source before going on."))
	}
	for _, ref := range xferAddresses(c) {
		if _, listed := c.Denied(ref.addr); listed { // the role is written only for a finding
			report(ref.addr, ref.path, ref.role())
		}
	}
	// Addresses the decoder could not place: packed Universal Router paths,
	// undecoded calldata, bytes arguments, message text, bytecode.
	for _, blob := range xferBlobs(c) {
		xferScan(blob.data, c.denyPrefixes(), func(a common.Address) { report(a, blob.path, blob.role) })
	}
	for _, t := range xferTexts(c) {
		for _, m := range xferHexAddr().FindAllString(t.text, -1) {
			report(common.HexToAddress(m), t.path, t.role)
		}
	}
	return out
}

// --- addresses in the input ---

// xferRef is one address in the decoded input.
type xferRef struct {
	addr common.Address
	path string // evidence path
	// what it is there, for a person: "the to argument of transfer"; for
	// a call's argument it is written when asked (see role), as most
	// addresses are never named in a finding.
	what string
	arg  string
	call *calldata.Call
	own  bool // the signing side: tx.from, the signer, a 7702 authority
}

// role says what the address is there, for a person.
func (r xferRef) role() string {
	if r.call != nil {
		return "the " + r.arg + " argument of " + xferCallName(r.call)
	}
	return r.what
}

// xferAddresses lists every address of the decoded input, in reading
// order: transaction fields, every call's target and address arguments
// at any depth, typed-data fields, sign-in and bytecode addresses.
func xferAddresses(c *Context) []xferRef {
	if !c.refsDone {
		c.refs, c.refsDone = collectAddresses(c), true
	}
	return c.refs
}

func collectAddresses(c *Context) []xferRef {
	var out []xferRef
	add := func(a common.Address, path, role string, own bool) {
		out = append(out, xferRef{addr: a, path: path, what: role, own: own})
	}
	in := c.In
	if in.Signer != nil {
		add(in.Signer.Address, "signer", "the account asked to sign", true)
	}
	if t := in.Tx; t != nil {
		if t.From != nil {
			add(t.From.Address, "tx.from", "the sender of the transaction", true)
		}
		if t.To != nil {
			add(t.To.Address, "tx.to", "the recipient of the transaction", false)
		}
		for i, a := range t.Authorizations {
			p := "tx.authorizations[" + strconv.Itoa(i) + "]"
			add(a.Delegate.Address, p+".delegate", "an EIP-7702 delegate (code your account would run)", false)
			if a.Authority != nil {
				add(a.Authority.Address, p+".authority", "the account that delegates", true)
			}
		}
	}
	if op := in.Op; op != nil {
		for _, a := range []*label.Addr{op.EntryPoint, op.Factory, op.Paymaster} {
			if a != nil {
				add(a.Address, "op", "a contract of the account operation", false)
			}
		}
	}
	{
		// Targets first: a call nested in a batch is best cited as the call,
		// not as the batch's argument that encodes it.
		for _, call := range c.Calls() {
			if call.Target != nil {
				add(call.Target.Address, TxPath(call, "")+".target", xferTargetRole(call), false)
			}
		}
		for _, call := range c.Calls() {
			xferWalkArgs(call.Args, TxPath(call, "")+".args", func(a calldata.Arg, path string) {
				if addr, ok := a.Address(); ok {
					out = append(out, xferRef{addr: addr, path: path, arg: a.Name, call: call})
				}
			})
		}
	}
	if td := in.TypedData; td != nil {
		if v := td.Domain.VerifyingContract; v != nil {
			add(v.Address, "typedData.domain.verifyingContract", "the contract the signature is for", false)
		}
		xferWalkFields(td.Domain.Extra, "typedData.domain", func(f typeddata.Field, path string) {
			if a, ok := xferFieldAddr(f); ok {
				add(a, path, "the "+f.Name+" field of the signed domain", false)
			}
		})
		xferWalkFields(td.Message, "typedData.message", func(f typeddata.Field, path string) {
			if a, ok := xferFieldAddr(f); ok {
				add(a, path, "the "+f.Name+" field of the signed message", false)
			}
		})
	}
	if m := in.Message; m != nil && m.SIWE != nil {
		add(m.SIWE.Address.Address, "message.siwe.address", "the account signing in", true)
	}
	if b := in.Bytecode; b != nil && b.Target != nil {
		add(*b.Target, "bytecode.target", "the code this bytecode forwards to", false)
	}
	return out
}

func xferTargetRole(call *calldata.Call) string {
	switch {
	case call.Path == "call":
		return "the recipient of the transaction"
	case call.Name == xferNativeName:
		return "the recipient of a nested payment"
	case call.Operation == calldata.OpDelegateCall:
		return "a contract run by delegatecall"
	}
	return "the target of a nested call (" + xferCallName(call) + ")"
}

func xferCallName(call *calldata.Call) string {
	switch {
	case call.Name != "":
		return call.Name
	case call.Selector != "":
		return "function " + call.Selector
	}
	return "a call"
}

// xferWalkArgs calls fn for every address argument at any depth, with its
// path: args.permitSingle.details.token, args.path[1]. (Only addresses:
// building the path of every integer and string was a tenth of the rules'
// allocations.)
func xferWalkArgs(args []calldata.Arg, path string, fn func(calldata.Arg, string)) {
	for _, a := range args {
		_, isAddr := a.Address()
		if !isAddr && len(a.Elems) == 0 {
			continue
		}
		p := xferJoin(path, a.Name)
		if isAddr {
			fn(a, p)
		}
		xferWalkArgs(a.Elems, p, fn)
	}
}

func xferWalkFields(fs []typeddata.Field, path string, fn func(typeddata.Field, string)) {
	for _, f := range fs {
		p := xferJoin(path, f.Name)
		fn(f, p)
		xferWalkFields(f.Fields, p, fn)
	}
}

// xferJoin appends a member name, or an array index as it is ("[2]").
func xferJoin(path, name string) string {
	if strings.HasPrefix(name, "[") {
		return path + name
	}
	return path + "." + name
}

func xferFieldAddr(f typeddata.Field) (common.Address, bool) {
	if f.Type != "address" || !common.IsHexAddress(f.Value) {
		return common.Address{}, false
	}
	return common.HexToAddress(f.Value), true
}

// xferBlob is raw bytes in which an address may hide.
type xferBlob struct {
	data       []byte
	path, role string
}

func xferBlobs(c *Context) []xferBlob {
	var out []xferBlob
	in := c.In
	if t := in.Tx; t != nil && len(t.Data) > 0 {
		out = append(out, xferBlob{t.Data, "tx.data", "raw bytes of the calldata"})
	}
	if td := in.TypedData; td != nil {
		xferWalkFields(td.Message, "typedData.message", func(f typeddata.Field, path string) {
			if strings.HasPrefix(f.Type, "bytes") && !strings.HasSuffix(f.Type, "]") {
				if b, err := hexutil.Decode(f.Value); err == nil {
					out = append(out, xferBlob{b, path, "raw bytes of the " + f.Name + " field"})
				}
			}
		})
	}
	if m := in.Message; m != nil && !m.Printable {
		out = append(out, xferBlob{m.Bytes, "message.bytes", "raw bytes of the message"})
	}
	if b := in.Bytecode; b != nil {
		out = append(out, xferBlob{b.Code, "bytecode.code", "an address embedded in the bytecode"})
	}
	return out
}

// xferScan calls fn for every 20-byte window of b: an address may sit at
// any offset in packed encodings (MultiSend, Universal Router paths,
// PUSH20 in bytecode). A random window matching a listed address is a
// 2^-160 event, so the scan has no false positives to speak of.
// may is the listed addresses' quick negative: a window it turns away
// is never built into an address.
func xferScan(b []byte, may *label.Prefixes, fn func(common.Address)) {
	for i := 0; i+common.AddressLength <= len(b); i++ {
		if may.MayBegin(b[i], b[i+1]) && may.MayHave(b[i:i+common.AddressLength]) {
			fn(common.BytesToAddress(b[i : i+common.AddressLength]))
		}
	}
}

var xferHexAddr = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`0[xX][0-9a-fA-F]{40}`) })

type xferText struct{ text, path, role string }

// xferTexts are strings a person reads that may name an address.
func xferTexts(c *Context) []xferText {
	var out []xferText
	if m := c.In.Message; m != nil && m.Printable {
		out = append(out, xferText{m.Text, "message.text", "an address written in the message"})
	}
	if td := c.In.TypedData; td != nil {
		xferWalkFields(td.Message, "typedData.message", func(f typeddata.Field, path string) {
			if f.Type == "string" {
				out = append(out, xferText{f.Value, path, "an address written in the " + f.Name + " field"})
			}
		})
	}
	return out
}

// --- token and ETH movements ---

const xferNativeName = "transfer of native currency"

type xferKind int

const (
	xferFungible xferKind = iota // ERC-20 amounts
	xferNFT                      // ERC-721 token ids
	xferEither                   // transferFrom on a contract that is not a listed token: amount or id
	xferMulti                    // ERC-1155 id and amount
)

// xferMove is one movement of value a call makes.
type xferMove struct {
	call       *calldata.Call
	verb       string // "transfer", "transferFrom", "Universal Router TRANSFER"
	kind       xferKind
	native     bool
	token      common.Address // the token contract; zero for the native currency
	from       *common.Address
	to         common.Address
	amount     *big.Int // nil when there is none (an NFT id is not an amount)
	amountText string   // "1,500 USDC", "NFT #1234 of 0x…", "0.5 ETH"
	short      string   // for a title: "1,500 USDC", "an NFT", "tokens"
	fromPath   string
	toPath     string
	amountPath string
}

// xferShapes are the token transfer functions: argument positions of
// from (-1: the caller), to and the amount or id.
var xferShapes = map[string]struct {
	from, to, amount int
	kind             xferKind
}{
	"transfer(address,uint256)":                                        {-1, 0, 1, xferFungible},
	"transferFrom(address,address,uint256)":                            {0, 1, 2, xferEither},
	"safeTransferFrom(address,address,uint256)":                        {0, 1, 2, xferNFT},
	"safeTransferFrom(address,address,uint256,bytes)":                  {0, 1, 2, xferNFT},
	"safeTransferFrom(address,address,uint256,uint256,bytes)":          {0, 1, 3, xferMulti},
	"safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)": {0, 1, -1, xferMulti},
}

// xferRouterPays are Universal Router commands that pay a recipient out of
// the router: (token, recipient, amount).
var xferRouterPays = map[string]bool{"TRANSFER": true, "SWEEP": true, "PAY_PORTION": true, "PAY_PORTION_FULL_PRECISION": true}

// xferMoves lists the value every call moves: token transfers, Universal
// Router payments and native currency sent along with a call. Four rules
// read the list; it is made once per input, and no rule changes it.
func xferMoves(c *Context) []xferMove {
	if !c.movesDone {
		c.moves, c.movesDone = listMoves(c), true
	}
	return c.moves
}

func listMoves(c *Context) []xferMove {
	var out []xferMove
	for _, call := range c.Calls() {
		if call.Value != nil && call.Value.Sign() > 0 && call.Target != nil && call.Kind == calldata.KindCall {
			path := TxPath(call, "")
			out = append(out, xferMove{call: call, verb: "payment", native: true, to: call.Target.Address,
				amount: call.Value, amountText: xferEtherText(c, call), toPath: path + ".target", amountPath: path + ".value"})
		}
		if m, ok := xferTokenMove(c, call); ok {
			out = append(out, m)
		}
	}
	return out
}

func xferTokenMove(c *Context, call *calldata.Call) (xferMove, bool) {
	if call.Kind == calldata.KindCommand {
		return xferRouterMove(c, call)
	}
	shape, ok := xferShapes[call.Signature]
	if !ok || call.Target == nil || len(call.Args) <= max(shape.from, shape.to, shape.amount) {
		return xferMove{}, false
	}
	m := xferMove{call: call, verb: call.Name, kind: shape.kind, token: call.Target.Address}
	if m.kind == xferEither {
		if _, listed := c.Token(m.token); listed {
			m.kind = xferFungible
		}
	}
	to := call.Args[shape.to]
	addr, ok := to.Address()
	if !ok {
		return xferMove{}, false
	}
	m.to, m.toPath = addr, TxPath(call, to.Name)
	if shape.from >= 0 {
		if f, ok := call.Args[shape.from].Address(); ok {
			m.from, m.fromPath = &f, TxPath(call, call.Args[shape.from].Name)
		}
	}
	if shape.amount >= 0 {
		a := call.Args[shape.amount]
		m.amountPath = TxPath(call, a.Name)
		if m.kind != xferNFT {
			m.amount = a.Big()
		}
		m.amountText = xferAmountText(c, m.kind, m.token, a)
	} else {
		m.amountText = "several kinds of tokens of " + xferWho(c, m.token)
	}
	switch {
	case m.kind == xferNFT:
		m.short = "an NFT"
	case m.kind == xferFungible && m.amountText != "" && shape.amount >= 0 && call.Args[shape.amount].Human != "":
		m.short = m.amountText
	default:
		m.short = "tokens"
	}
	return m, true
}

// xferRouterMove reads a Universal Router payment out of the router.
func xferRouterMove(c *Context, call *calldata.Call) (xferMove, bool) {
	if !xferRouterPays[call.Name] || len(call.Args) < 3 {
		return xferMove{}, false
	}
	token, ok1 := call.Args[0].Address()
	to, ok2 := call.Args[1].Address()
	if !ok1 || !ok2 {
		return xferMove{}, false
	}
	m := xferMove{call: call, verb: "Universal Router " + call.Name, kind: xferFungible, token: token, to: to,
		toPath: TxPath(call, call.Args[1].Name)}
	if token == (common.Address{}) {
		m.native, m.amountText = true, xferNative(c)
	} else {
		m.amountText = "tokens of " + xferWho(c, token)
	}
	return m, true
}

func xferAmountText(c *Context, kind xferKind, token common.Address, a calldata.Arg) string {
	switch kind {
	case xferNFT:
		return fmt.Sprintf("NFT #%s of %s", a.Value, xferWho(c, token))
	case xferMulti:
		return fmt.Sprintf("%s units of %s", a.Value, xferWho(c, token))
	}
	if a.Human != "" {
		return a.Human
	}
	if kind == xferEither {
		return fmt.Sprintf("%s (an amount, or an NFT id) of %s", a.Value, xferWho(c, token))
	}
	return fmt.Sprintf("%s raw units of %s", a.Value, xferWho(c, token))
}

func xferEtherText(c *Context, call *calldata.Call) string {
	if call.Human != "" {
		return call.Human
	}
	return call.ValueText + " wei"
}

// xferBuiltin labels with the built-in lists only: the user's address book
// must not turn an address into a trusted Safe library by its name.
func xferBuiltin(c *Context) *label.Labeler {
	// The Context has no accessor for its chain's built-in labels yet.
	return label.New(c.lab.Chain(), nil)
}

// xferNative is the symbol of the input's native currency.
func xferNative(c *Context) string { return xferBuiltin(c).Native() }

// xferWrapsNative reports a wrapped-native token (WETH, WBNB, WPOL...),
// whose receive function turns a plain send into a deposit.
func xferWrapsNative(c *Context, t label.Token) bool {
	native := xferNative(c)
	sym := strings.ToUpper(t.Symbol)
	return sym == "W"+strings.ToUpper(native) || native == "POL" && sym == "WMATIC"
}

// xferWho names an address for a person: its label, and always the full
// address (a shortened one is what poisoning exploits).
func xferWho(c *Context, a common.Address) string {
	if s, ok := c.Signer(); ok && s == a {
		return "your own account " + label.Hex(a)
	}
	switch l := c.Label(a); {
	case a == (common.Address{}):
		return "the zero address"
	case l.Source == label.SourceAddressBook:
		return l.Label + " (" + label.Hex(a) + ", from your address book)"
	case l.Label != "":
		return l.Label + " (" + label.Hex(a) + ")"
	}
	return "the unlabelled address " + label.Hex(a)
}

// xferCtx is who a call runs as.
type xferCtx struct {
	sender common.Address // msg.sender of the call
	self   common.Address // the account whose code and storage run it
}

// xferContexts works out, for every call, its msg.sender and the account it
// runs as: a Safe's inner calls come from the Safe, a delegatecall runs as
// its caller, and a multicall(bytes[]) keeps the outer sender.
func xferContexts(c *Context, signer common.Address) map[*calldata.Call]xferCtx {
	// Several rules ask, always for the context's own signer: walk once.
	if c.ctxs != nil && c.ctxsSigner == signer {
		return c.ctxs
	}
	out := map[*calldata.Call]xferCtx{}
	c.ctxs, c.ctxsSigner = out, signer
	var walk func(call *calldata.Call, parent xferCtx, parentCall *calldata.Call)
	walk = func(call *calldata.Call, parent xferCtx, parentCall *calldata.Call) {
		ctx := xferCtx{sender: parent.self, self: parent.self}
		switch {
		case parentCall == nil:
			ctx.sender = signer
		case call.Kind == calldata.KindCommand || xferSelfCalls[parentCall.Signature]:
			ctx.sender = parent.sender
		}
		if call.Target != nil && call.Operation != calldata.OpDelegateCall && call.Kind == calldata.KindCall {
			ctx.self = call.Target.Address
		}
		out[call] = ctx
		for _, in := range call.Calls {
			walk(in, ctx, call)
		}
	}
	if root := c.rootCall(); root != nil {
		walk(root, xferCtx{self: signer}, nil)
	}
	return out
}

var xferSelfCalls = map[string]bool{"multicall(bytes[])": true, "multicall(uint256,bytes[])": true, "multicall(bytes32,bytes[])": true}
