package guard

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/typeddata"
)

// Rule TG208: intents and limit orders whose proceeds go to someone else.
// An order is a signature that lets a solver take what you sell and pay
// what you buy; where it pays is one field, and a phishing site fills it
// with its own address: you lose what you sell and receive nothing.

// order is a signed order read from typed data: who owns it, where each
// of its proceeds goes.
type order struct {
	venue      string         // "CoW Protocol", "UniswapX", "1inch"
	owner      common.Address // whose assets are sold (zero: the signer)
	proceeds   []proceed
	sells      string // what is sold, in words
	sellToken  common.Address
	sellAmount *big.Int
	// unread is a part of the order txguard does not read, "" when none.
	unread string
}

type proceed struct {
	to     common.Address // zero: the owner
	token  common.Address
	amount *big.Int
	human  string
	path   string
}

// orderTypes are the orders txguard reads, by primaryType and a member
// that only that venue's order has (their types are read from the
// venues' sources: cowprotocol/contracts GPv2Order, 1inch
// limit-order-protocol OrderLib, Uniswap/UniswapX src/lib/*OrderLib).
func readOrder(c *Context, td *typeddata.TypedData) (*order, bool) {
	switch {
	case td.PrimaryType == "Order" && hasFields(td, "sellToken", "buyToken", "receiver", "sellAmount", "buyAmount"):
		o := &order{venue: "CoW Protocol"}
		sell, _ := td.Lookup("sellAmount")
		o.sells = amountPhrase(c, tdAddr(td, "sellToken"), fieldBig(sell), sell.Human)
		o.sellToken, o.sellAmount = tdAddr(td, "sellToken"), fieldBig(sell)
		buy, _ := td.Lookup("buyAmount")
		o.proceeds = []proceed{{to: tdAddr(td, "receiver"), token: tdAddr(td, "buyToken"), amount: fieldBig(buy), human: buy.Human, path: tdPath("receiver")}}
		return o, true
	case td.PrimaryType == "Order" && hasFields(td, "maker", "receiver", "makerAsset", "takerAsset", "makingAmount", "takingAmount"):
		o := &order{venue: "1inch", owner: tdAddr(td, "maker")}
		making, _ := td.Lookup("makingAmount")
		o.sells = amountPhrase(c, tdAddr(td, "makerAsset"), fieldBig(making), making.Human)
		o.sellToken, o.sellAmount = tdAddr(td, "makerAsset"), fieldBig(making)
		take, _ := td.Lookup("takingAmount")
		o.proceeds = []proceed{{to: tdAddr(td, "receiver"), token: tdAddr(td, "takerAsset"), amount: fieldBig(take), human: take.Human, path: tdPath("receiver")}}
		// MakerTraitsLib (1inch limit-order-protocol v4): bit 252 a
		// pre-interaction, 251 a post-interaction, 249 an extension
		// (predicates, interactions, dynamic amounts), kept off the order.
		if traits, ok := td.Lookup("makerTraits"); ok {
			if t := fieldBig(traits); t != nil && (t.Bit(249) == 1 || t.Bit(251) == 1 || t.Bit(252) == 1) {
				o.unread = "its extension or interactions (makerTraits flags them; their calls and amounts travel outside the signed order)"
			}
		}
		return o, true
	case td.PrimaryType == "PermitWitnessTransferFrom":
		w, ok := td.Lookup("witness")
		if !ok || !uniswapXOrders[w.Type] {
			return nil, false
		}
		o := &order{venue: "UniswapX", owner: common.HexToAddress(fieldNamed(fieldNamed(w.Fields, "info").Fields, "swapper").Value)}
		if p, ok := td.Lookup("permitted"); ok {
			amount := fieldNamed(p.Fields, "amount")
			o.sells = amountPhrase(c, common.HexToAddress(fieldNamed(p.Fields, "token").Value), fieldBig(amount), amount.Human)
		}
		for _, name := range []string{"outputs", "baseOutputs"} {
			list, ok := fieldIn(w.Fields, name)
			if !ok {
				continue
			}
			for _, out := range list.Fields {
				// A Dutch output decays from startAmount to endAmount: the
				// order is only as good as its worst moment.
				amount := fieldNamed(out.Fields, "startAmount")
				if end := fieldNamed(out.Fields, "endAmount"); end.Name != "" && fieldBig(end) != nil && fieldBig(amount) != nil && fieldBig(end).Cmp(fieldBig(amount)) < 0 {
					amount = end
				}
				if amount.Name == "" {
					amount = fieldNamed(out.Fields, "amount")
				}
				o.proceeds = append(o.proceeds, proceed{to: common.HexToAddress(fieldNamed(out.Fields, "recipient").Value),
					token: common.HexToAddress(fieldNamed(out.Fields, "token").Value), amount: fieldBig(amount), human: amount.Human,
					path: tdPath("witness." + name + out.Name + ".recipient")})
			}
		}
		return o, true
	}
	return nil, false
}

// uniswapXOrders are the witness types of UniswapX's reactors.
var uniswapXOrders = map[string]bool{"ExclusiveDutchOrder": true, "V2DutchOrder": true, "V3DutchOrder": true,
	"PriorityOrder": true, "DutchOrder": true, "LimitOrder": true}

func hasFields(td *typeddata.TypedData, names ...string) bool {
	for _, n := range names {
		if _, ok := td.Lookup(n); !ok {
			return false
		}
	}
	return true
}

// feeShare is the largest share of an order's proceeds that may go to a
// third party as an interface fee (UniswapX outputs carry them, at most a
// fraction of a percent): more than this is not a fee.
const feeShare = 100 // 1/100

// dustProceeds is the most base units of an unlisted token an order may
// pay back and still be "nothing" (its decimals are unknown).
const dustProceeds = 1000

// isDust reports an amount worth nothing: under a millionth of a listed
// token's unit (a cent for six decimals or fewer, a stablecoin's kind), or
// at most dustProceeds base units of an unlisted one.
func isDust(c *Context, token common.Address, v *big.Int) bool {
	d := -1
	if t, ok := c.Token(token); ok {
		d = int(t.Decimals)
	} else if token == (common.Address{}) {
		d = 18 // the native currency
	}
	if d < 0 {
		return v.Cmp(big.NewInt(dustProceeds)) <= 0
	}
	exp := max(d-6, 0)
	if d <= 6 {
		exp = max(d-2, 0)
	}
	return v.Cmp(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)) < 0
}

func paysOthers(o *order, ours func(common.Address) bool) bool {
	for _, p := range o.proceeds {
		if !ours(p.to) {
			return true
		}
	}
	return false
}

// orderProceeds is TG208: an order that pays someone other than its owner.
//
//   - danger: a payout to an address that is neither the owner, the signer,
//     nor in the address book, and larger than an interface fee;
//   - info: a payout to a third party of at most 1% of what comes back
//     (an interface fee).
//
// An order whose proceeds all come back is quiet: the coverage line says
// it was read.
func orderProceeds(c *Context, r *Rule) []Finding {
	td := c.In.TypedData
	if td == nil {
		return nil
	}
	o, ok := readOrder(c, td)
	if !ok {
		return nil
	}
	owner := o.owner
	signer, hasSigner := c.Signer()
	if owner == (common.Address{}) && hasSigner {
		owner = signer
	}
	ours := func(a common.Address) bool {
		return a == (common.Address{}) && o.venue != "UniswapX" || a == owner && owner != (common.Address{}) || hasSigner && a == signer || c.Contact(a)
	}
	// What comes back, per token, to judge the rest against.
	back := map[common.Address]*big.Int{}
	for _, p := range o.proceeds {
		if ours(p.to) && p.amount != nil {
			if back[p.token] == nil {
				back[p.token] = new(big.Int)
			}
			back[p.token].Add(back[p.token], p.amount)
		}
	}
	var out []Finding
	nothing := len(o.proceeds) > 0 && !paysOthers(o, ours)
	for token, b := range back {
		if !isDust(c, token, b) {
			nothing = false
		}
	}
	if o.sellAmount != nil && largeTokenAmount(c, o.sellToken, o.sellAmount) {
		out = append(out, r.finding(Danger, fmt.Sprintf("%s order sells %s", o.venue, o.sells),
			fmt.Sprintf("This %s order offers %s: in a buy order that is the most it may take, so a solver that fills it can take everything the account holds of it.", o.venue, o.sells),
			"typedData.message", "Do not sign. A real order names the amount you mean to sell."))
	}
	if len(o.proceeds) == 0 || nothing {
		got := "nothing"
		if len(o.proceeds) > 0 {
			p := o.proceeds[0]
			got = amountPhrase(c, p.token, p.amount, p.human)
		}
		out = append(out, r.finding(Danger, fmt.Sprintf("%s order sells %s for %s", o.venue, o.sells, got),
			fmt.Sprintf("This %s order sells %s, and what comes back is %s: any solver can fill it and keep the difference. "+
				"A phishing site sets the price of an order to nothing exactly like this.", o.venue, o.sells, got),
			"typedData.message", "Do not sign. A real swap asks a market price for what you sell."))
	}
	for _, p := range o.proceeds {
		if ours(p.to) {
			continue
		}
		if b := back[p.token]; b != nil && p.amount != nil && new(big.Int).Mul(p.amount, big.NewInt(feeShare)).Cmp(b) <= 0 {
			out = append(out, r.finding(Info, fmt.Sprintf("%s order pays a fee to %s", o.venue, shortAddr(c, p.to)),
				fmt.Sprintf("Besides what comes back to you, this order pays %s to %s: at most 1%% of your proceeds, the size of an interface fee.",
					amountPhrase(c, p.token, p.amount, p.human), addrPhrase(c, p.to)), p.path, "Fine if the dapp you use charges a fee."))
			continue
		}
		whose := "you"
		if !hasSigner && o.owner == (common.Address{}) {
			whose = "the signer (txguard was not told who signs: pass --from)"
		}
		out = append(out, r.finding(Danger, fmt.Sprintf("%s order pays %s to %s, not to %s", o.venue, amountPhrase(c, p.token, p.amount, p.human), shortAddr(c, p.to), whose),
			fmt.Sprintf("This %s order sells %s, and what it buys (%s) goes to %s. Once signed, any solver can fill it: "+
				"what you sell leaves your account and the proceeds go to that address. "+
				"Phishing sites set the receiver of an order to their own address exactly like this.",
				o.venue, o.sells, amountPhrase(c, p.token, p.amount, p.human), addrPhrase(c, p.to)),
			p.path, "Do not sign. A swap on a real dapp pays you, the signer, unless you typed another receiver yourself."))
	}
	return out
}

// shortAddr is an address as a title holds it: its label, or 0x3C44…93BC
// (unknown).
func shortAddr(c *Context, a common.Address) string {
	if l := c.Label(a); l.Known() {
		return l.Label
	}
	return shortHex(a) + " (unknown)"
}
