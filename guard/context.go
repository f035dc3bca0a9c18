package guard

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/account"
	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/evm"
	"github.com/txguard/txguard/decode/label"
)

// Config is what the rules know beyond the input itself.
type Config struct {
	AddressBook *label.AddressBook // the user's contacts; may be nil
	DenyList    *label.AddressBook // --denylist, on top of the embedded one; may be nil
	Signer      *common.Address    // --from: the signer, when the input does not say
	Chain       uint64             // --chain: the chain the user expects (0: any)
	Intent      string             // --intent, kept on the verdict for the model
	// Now is the time expiries are judged against; tests fix it.
	Now time.Time
	// Code is the analysed runtime code of the transaction's target or
	// 7702 delegate (check --code), judged with the input; may be nil.
	Code *evm.Analysis
	// Sim is what the user's node says the input does (check --rpc); nil
	// when no node was asked. Rules TG10xx judge it.
	Sim *Simulation
}

// Context is what a rule sees: the decoded input and the configuration,
// with the lookups every rule needs.
type Context struct {
	In  *decode.Result
	cfg Config
	lab *label.Labeler

	// Walked once per input: every rule reads them.
	calls      []*calldata.Call
	refs       []xferRef
	refsDone   bool
	ctxs       map[*calldata.Call]xferCtx
	ctxsSigner common.Address
	moves      []xferMove // see xferMoves
	movesDone  bool
	bundles    map[*calldata.Call][]account.UnreadPart // see bundleUnread
}

// bundleUnread is what the operations of call, if it is a handleOps
// bundle, hold that no rule reads: coverage lists it and TG609 reports it,
// from one reading.
func (c *Context) bundleUnread(call *calldata.Call) []account.UnreadPart {
	if !account.IsHandleOps(call) {
		return nil // nearly every call: nothing to cache
	}
	parts, ok := c.bundles[call]
	if !ok {
		if c.bundles == nil {
			c.bundles = map[*calldata.Call][]account.UnreadPart{}
		}
		parts = account.HandleOpsUnread(call, c.lab)
		c.bundles[call] = parts
	}
	return parts
}

func newContext(in *decode.Result, cfg Config) *Context {
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	return &Context{In: in, cfg: cfg, lab: label.New(chainOf(in, cfg), cfg.AddressBook)}
}

// chainOf is the chain the input names, else the one the user expects.
func chainOf(in *decode.Result, cfg Config) uint64 {
	switch {
	case in.Tx != nil && in.Tx.ChainID != nil && in.Tx.ChainID.IsUint64():
		return in.Tx.ChainID.Uint64()
	case in.TypedData != nil && in.TypedData.Domain.ChainID != "", in.Op != nil && in.Op.ChainID != "":
		s := ""
		if in.TypedData != nil {
			s = in.TypedData.Domain.ChainID
		}
		if in.Op != nil && in.Op.ChainID != "" {
			s = in.Op.ChainID
		}
		var id uint64
		for _, c := range s {
			if c < '0' || c > '9' || id > (1<<63)/10 {
				return cfg.Chain
			}
			id = id*10 + uint64(c-'0')
		}
		return id
	}
	return cfg.Chain
}

// Signer is the account that would sign: recovered or named by the input,
// else --from.
func (c *Context) Signer() (common.Address, bool) { return SignerOf(c.In, c.cfg) }

// SignerOf is the account that would sign in: recovered or named by the
// input, else cfg's --from.
func SignerOf(in *decode.Result, cfg Config) (common.Address, bool) {
	switch {
	case in.Tx != nil && in.Tx.From != nil:
		return in.Tx.From.Address, true
	case in.Signer != nil:
		return in.Signer.Address, true
	case cfg.Signer != nil:
		return *cfg.Signer, true
	}
	return common.Address{}, false
}

// ChainOf is the chain in is for: the one it names, else the one the user
// expects (--chain); 0 when neither says.
func ChainOf(in *decode.Result, cfg Config) uint64 { return chainOf(in, cfg) }

// Calls lists the transaction's call and every call nested in it, depth
// first: a rule that inspects Calls sees an approve hidden in a MultiSend
// exactly as a top-level one.
func (c *Context) Calls() []*calldata.Call {
	if root := c.rootCall(); c.calls == nil && root != nil {
		root.Walk(func(call *calldata.Call) { c.calls = append(c.calls, call) })
	}
	return c.calls
}

// rootCall is the call the input executes: the transaction's, or the one a
// Safe transaction, UserOperation or call batch makes its account execute.
// Rules judge both alike.
func (c *Context) rootCall() *calldata.Call {
	switch {
	case c.In.Tx != nil:
		return c.In.Tx.Call
	case c.In.Op != nil:
		return c.In.Op.Call
	}
	return nil
}

// Label names a on the input's chain ("" when unknown).
func (c *Context) Label(a common.Address) label.Addr { return c.lab.Addr(a) }

// WellKnown reports whether a is a labelled contract or token on the
// input's chain, or one of the user's contacts.
func (c *Context) WellKnown(a common.Address) bool { return c.lab.Addr(a).Known() }

// Contact reports whether a is in the user's address book.
func (c *Context) Contact(a common.Address) bool {
	_, ok := c.cfg.AddressBook.Lookup(a)
	return ok
}

// Token is the listed token at a on the input's chain.
func (c *Context) Token(a common.Address) (label.Token, bool) { return c.lab.Token(a) }

// Now is the time expiries are judged against.
func (c *Context) Now() time.Time { return c.cfg.Now }

// Chain is the chain the user expects (0: any).
func (c *Context) Chain() uint64 { return c.cfg.Chain }

// Denied returns why a is on a deny list.
func (c *Context) Denied(a common.Address) (string, bool) {
	if why, ok := c.cfg.DenyList.Lookup(a); ok {
		return why, true
	}
	return denySeed().Lookup(a)
}

// denyPrefixes is Denied's quick negative: the prefixes of the user's deny
// list and the built-in one, merged once per deny list (a process has one
// or two) rather than asked of both lists for every window of a scan.
func (c *Context) denyPrefixes() *label.Prefixes {
	if p, ok := denyPrefixCache.Load(c.cfg.DenyList); ok {
		return p.(*label.Prefixes)
	}
	p := new(label.Prefixes)
	denySeed().AddPrefixes(p)
	c.cfg.DenyList.AddPrefixes(p)
	if denyPrefixCount.Add(1) > 16 { // configurations reloaded many times: start over
		denyPrefixCache.Clear()
		denyPrefixCount.Store(1)
	}
	denyPrefixCache.Store(c.cfg.DenyList, p)
	return p
}

var (
	denyPrefixCache sync.Map // *label.AddressBook (the user's deny list, or nil) -> *label.Prefixes
	denyPrefixCount atomic.Int32
)

// TxPath is the evidence path of a call's argument: tx.call.calls[1].args.spender,
// or op.call.calls[0].args.spender for an account operation's call.
func TxPath(call *calldata.Call, arg string) string {
	p := call.Path
	if strings.HasPrefix(p, "call") {
		p = "tx." + p
	}
	if arg != "" {
		p += ".args." + arg
	}
	return p
}
