package guard

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/label"
)

// What the user's own node said the input would do reaches guard as data,
// like the model's review: the node package (prompts/node) gathers it,
// guard judges it (rules TG10xx) and never talks to a node itself.

// Statuses of a simulation.
const (
	SimOK          = "ok"          // simulated: the effects are the node's
	SimExposure    = "exposure"    // a signature used later: what it can move was read instead
	SimUnavailable = "unavailable" // a node was given but could not simulate: Reason says why
)

// Asset standards.
const (
	AssetNative  = "native"
	AssetERC20   = "erc20"
	AssetERC721  = "erc721"
	AssetERC1155 = "erc1155"
)

// Simulation is the node's account of the input: its effects, or for a
// signature the exposure, and facts read alongside.
type Simulation struct {
	Status string `json:"status"`           // one of the Sim constants
	Reason string `json:"reason,omitempty"` // one line: why not simulated, or what was not
	// Unreadable says why the node's answer could not be read in full
	// when the input itself is the cause (a flood of logs, an answer too
	// large): what an input hides that way is judged as hidden (TG1010).
	Unreadable string `json:"unreadable,omitempty"`
	Node       string `json:"node,omitempty"`   // the node, without credentials
	Method     string `json:"method,omitempty"` // eth_simulateV1, or debug_traceCall
	// Block is the block whose state was simulated on.
	Block uint64 `json:"block,omitempty"`
	// Account is whose assets the rules follow: the signer, or the Safe or
	// smart account that executes the calls.
	Account   common.Address `json:"account,omitzero"`
	Calls     []SimCall      `json:"calls,omitempty"`
	Transfers []Transfer     `json:"transfers,omitempty"`
	// Changes are the balance changes per holder, the account first;
	// guard works them out from Transfers.
	Changes   []Change   `json:"changes,omitempty"`
	Approvals []Grant    `json:"approvals,omitempty"`
	Exposure  []Exposure `json:"exposure,omitempty"`
	Facts     Facts      `json:"facts"`
	// RoundTrips counts the requests to the node (a batch is one).
	RoundTrips int `json:"roundTrips,omitempty"`
}

// SimCall is one simulated call: the transaction, or one call of a batch.
type SimCall struct {
	Path    string `json:"path"` // where it is in the decoded input
	Success bool   `json:"success"`
	Revert  string `json:"revert,omitempty"` // the reason, escaped and capped
	GasUsed uint64 `json:"gasUsed"`
}

// Asset is what moved.
type Asset struct {
	Standard string         `json:"standard"` // one of the Asset constants
	Token    common.Address `json:"token,omitzero"`
	// Symbol and Decimals come from the token list, else from the token's
	// own symbol() and decimals(), which anyone can set: Listed says which.
	Symbol   string `json:"symbol,omitempty"`
	Decimals *uint8 `json:"decimals,omitempty"`
	Listed   bool   `json:"listed"`
	// NotStandard: an NFT whose contract does not say (ERC-165) that it
	// implements the standard its Transfer log claims, or an unlisted
	// ERC-20 that answers neither symbol() nor decimals().
	NotStandard bool `json:"notStandard,omitempty"`
}

// key identifies an asset (and an NFT's id does not split it).
func (a Asset) key() string { return a.Standard + ":" + a.Token.Hex() }

// Dec is an integer that marshals as a decimal string: JSON numbers lose
// precision past 2^53.
type Dec struct{ *big.Int }

// MarshalJSON writes the decimal string, or null.
func (d Dec) MarshalJSON() ([]byte, error) {
	if d.Int == nil {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads a decimal string (a recorded simulation).
func (d *Dec) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil {
		d.Int = nil
		return nil
	}
	v, ok := new(big.Int).SetString(*s, 10)
	if !ok {
		return fmt.Errorf("guard: %q is not a decimal integer", *s)
	}
	d.Int = v
	return nil
}

// Transfer is one movement of an asset, from a log (or a traced call's
// value).
type Transfer struct {
	Asset  Asset          `json:"asset"`
	From   common.Address `json:"from"`
	To     common.Address `json:"to"`
	Amount Dec            `json:"amount"`       // wei, base units, or 1 for an ERC-721
	ID     *Dec           `json:"id,omitempty"` // the NFT's id
	Call   int            `json:"call"`         // index into Calls
}

// Change is one holder's net change in one asset.
type Change struct {
	Holder common.Address `json:"holder"`
	Asset  Asset          `json:"asset"`
	Delta  Dec            `json:"delta"`            // signed
	In     []string       `json:"in,omitempty"`     // NFT ids received
	Out    []string       `json:"out,omitempty"`    // NFT ids given
	Human  string         `json:"human"`            // "-5 ETH", "+1,000 USDC", "+1 NFT (#7)"
	Before *Dec           `json:"before,omitempty"` // the holder's balance before, when read
}

// Grant is an allowance or operator approval the simulation emitted.
type Grant struct {
	Asset   Asset          `json:"asset"`
	Owner   common.Address `json:"owner"`
	Spender common.Address `json:"spender"`
	Amount  *Dec           `json:"amount,omitempty"` // nil for an operator approval
	// Operator is ApprovalForAll: every token of the collection.
	Operator bool `json:"operator,omitempty"`
	// Revoked is an approval set to zero, or an operator set to false.
	Revoked bool   `json:"revoked,omitempty"`
	Via     string `json:"via"` // "erc20", "erc721", "operator", "permit2"
	Call    int    `json:"call"`
	// Before is the allowance before the simulation, when read: a grant
	// no larger is a transferFrom spending an old one (OpenZeppelin 4
	// tokens emit Approval then), not a new grant. WasOperator likewise.
	Before      *Dec `json:"before,omitempty"`
	WasOperator bool `json:"wasOperator,omitempty"`
}

// Exposure is what a signature that someone else uses later can take: the
// signer's balance and allowance of each asset it names, read from the
// node, since the signature cannot be simulated faithfully.
type Exposure struct {
	Asset   Asset          `json:"asset"`
	Owner   common.Address `json:"owner"`
	Spender common.Address `json:"spender"`
	Signed  *Dec           `json:"signed,omitempty"` // what the signature names; nil: unlimited
	Balance *Dec           `json:"balance,omitempty"`
	// Allowance is the owner's current allowance to AllowanceTo, the
	// contract that pulls the tokens (Permit2, a settlement's relayer);
	// nil when the signature itself is the allowance (EIP-2612).
	Allowance   *Dec           `json:"allowance,omitempty"`
	AllowanceTo common.Address `json:"allowanceTo,omitzero"`
	Path        string         `json:"path"` // evidence in the decoded input
}

// Facts are read from the node alongside the simulation.
type Facts struct {
	ChainID uint64  `json:"chainId,omitempty"`
	Nonce   *uint64 `json:"nonce,omitempty"`   // the account's next nonce
	Balance *Dec    `json:"balance,omitempty"` // the account's native balance
	// Code says, per address the verdict names, whether it holds code and
	// whether that code is a 7702 delegation.
	Code []CodeFact `json:"code,omitempty"`
	// Holdings are the account's balances before, of what it sends.
	Holdings []Holding `json:"holdings,omitempty"`
}

// Holding is a balance of one asset.
type Holding struct {
	Asset  Asset `json:"asset"`
	Amount Dec   `json:"amount"`
}

// CodeFact is what an address holds.
type CodeFact struct {
	Address  common.Address  `json:"address"`
	Size     int             `json:"size"`
	Delegate *common.Address `json:"delegate,omitempty"` // an EIP-7702 account's delegate
}

// CodeOf returns what the node said a holds.
func (f Facts) CodeOf(a common.Address) (CodeFact, bool) {
	i := slices.IndexFunc(f.Code, func(c CodeFact) bool { return c.Address == a })
	if i < 0 {
		return CodeFact{}, false
	}
	return f.Code[i], true
}

// changes works out the net change per holder and asset from the
// transfers: the account's first, then by address and asset, so output is
// stable. Holders whose change nets to nothing are left out.
func changes(sim *Simulation) []Change {
	before := map[string]*big.Int{}
	for _, h := range sim.Facts.Holdings {
		before[h.Asset.key()] = h.Amount.Int
	}
	type k struct {
		holder common.Address
		asset  string
	}
	idx := map[k]int{}
	var out []Change
	add := func(h common.Address, t Transfer, sign int) {
		key := k{h, t.Asset.key()}
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, Change{Holder: h, Asset: t.Asset, Delta: Dec{new(big.Int)}})
		}
		c := &out[i]
		amt := t.Amount.Int
		if amt == nil {
			amt = new(big.Int)
		}
		if sign < 0 {
			c.Delta.Sub(c.Delta.Int, amt)
		} else {
			c.Delta.Add(c.Delta.Int, amt)
		}
		if t.ID != nil && t.ID.Int != nil {
			if sign < 0 {
				c.Out = append(c.Out, t.ID.String())
			} else {
				c.In = append(c.In, t.ID.String())
			}
		}
	}
	for _, t := range sim.Transfers {
		if t.From == t.To {
			continue
		}
		if t.From != (common.Address{}) {
			add(t.From, t, -1)
		}
		if t.To != (common.Address{}) {
			add(t.To, t, +1)
		}
	}
	out = slices.DeleteFunc(out, func(c Change) bool { return c.Delta.Sign() == 0 && len(c.In) == 0 && len(c.Out) == 0 })
	for i := range out {
		c := &out[i]
		c.Human = changeHuman(*c)
		if c.Holder == sim.Account {
			if b, ok := before[c.Asset.key()]; ok && b != nil {
				c.Before = &Dec{b}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Change) int {
		if (a.Holder == sim.Account) != (b.Holder == sim.Account) {
			if a.Holder == sim.Account {
				return -1
			}
			return 1
		}
		if c := a.Holder.Cmp(b.Holder); c != 0 {
			return c
		}
		return strings.Compare(a.Asset.key(), b.Asset.key())
	})
	return out
}

// changeHuman is "-5 ETH", "+1,000 USDC", "-2 NFTs of CryptoPunks (#1, #2)".
func changeHuman(c Change) string {
	sign := "+"
	if c.Delta.Sign() < 0 {
		sign = "-"
	}
	abs := new(big.Int).Abs(c.Delta.Int)
	return sign + assetAmount(c.Asset, abs, append(slices.Clone(c.Out), c.In...))
}

// AssetAmount says an amount of an asset in human units: "1,000 USDC",
// "5 ETH", "12 base units of the token at 0x…".
func AssetAmount(a Asset, v *big.Int) string {
	if label.Unlimited(v) {
		return "unlimited " + assetSymbol(a)
	}
	return assetAmount(a, v, nil)
}

// assetAmount says an amount of an asset in human units.
func assetAmount(a Asset, v *big.Int, ids []string) string {
	sym := assetSymbol(a)
	switch a.Standard {
	case AssetNative:
		return label.Units(v, 18) + " " + sym
	case AssetERC721, AssetERC1155:
		s := v.String() + " of " + sym
		if len(ids) > 0 {
			shown := first(ids, 3)
			for i := range shown {
				shown[i] = "#" + shown[i]
			}
			s += " (" + strings.Join(shown, ", ")
			if len(ids) > 3 {
				s += ", …"
			}
			s += ")"
		}
		return s
	}
	if a.Decimals != nil {
		return label.Units(v, *a.Decimals) + " " + sym
	}
	return v.String() + " base units of " + sym
}

// assetSymbol names an asset: a listed symbol as it is, a token's own
// symbol marked as its claim, else its address.
func assetSymbol(a Asset) string {
	switch {
	case a.Standard == AssetNative:
		return cmp.Or(a.Symbol, "ETH")
	case a.Listed && a.Symbol != "":
		return a.Symbol
	case a.Symbol != "":
		return "\"" + a.Symbol + "\" (unlisted token " + shortHex(a.Token) + ")"
	}
	return "the token at " + a.Token.Hex()
}

// shortHex is 0x1234…abcd.
func shortHex(a common.Address) string {
	h := label.Hex(a)
	return h[:6] + "…" + h[len(h)-4:]
}
