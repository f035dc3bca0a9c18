package guard

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/typeddata"
)

// A signature that someone else submits later (a permit, an order, a
// transfer authorization) cannot be simulated faithfully: when, with what
// state and by whom is the other party's choice. What can be known is the
// exposure: how much of each asset it names the signer holds and has
// already made spendable. Claims lists what to read; the node reads it.

// Claim is one asset a signature lets someone take.
type Claim struct {
	Token   common.Address
	Owner   common.Address
	Spender common.Address
	Amount  *big.Int // what the signature names; nil when it is unlimited (DAI's allowed)
	// AllowanceTo is the contract that pulls the tokens with an allowance
	// the owner gave it before (Permit2, a settlement's relayer); zero when
	// the signature is itself the allowance.
	AllowanceTo common.Address
	Path        string
}

// cowVaultRelayer is the CoW Protocol's GPv2VaultRelayer, the same address
// on every chain it runs on (cowprotocol/contracts networks.json): orders
// settle with the owner's allowance to it.
var cowVaultRelayer = common.HexToAddress("0xC92E8bdf79f0507f65a392b0ab4667716BFE0110")

// Claims lists the assets a signature request lets someone take, for the
// node to read the signer's balances and allowances of; nil for anything
// else (a transaction is simulated instead).
func Claims(in *decode.Result, cfg Config) []Claim {
	td := in.TypedData
	if td == nil || in.Op != nil {
		return nil
	}
	c := newContext(in, cfg)
	signer, _ := c.Signer()
	owner := func(name string) common.Address {
		if a := tdAddr(td, name); a != (common.Address{}) {
			return a
		}
		return signer
	}
	vc := td.Domain.VerifyingContract
	switch {
	case td.PrimaryType == "Permit" && vc != nil:
		if _, ok := td.Lookup("spender"); !ok {
			return nil
		}
		cl := Claim{Token: vc.Address, Owner: owner("owner"), Spender: tdAddr(td, "spender"), Path: tdPath("spender")}
		if f, ok := td.Lookup("value"); ok {
			cl.Amount = fieldBig(f)
		} else if _, ok := td.Lookup("allowed"); ok {
			cl.Owner = owner("holder")
		} else {
			return nil // an ERC-4494 NFT permit: no balance to read
		}
		return []Claim{cl}
	case vc != nil && (td.Domain.Name == "Permit2" || isPermit2(c, vc.Address)):
		var out []Claim
		spender := tdAddr(td, "spender")
		add := func(f typeddata.Field, path string) {
			out = append(out, Claim{Token: common.HexToAddress(fieldNamed(f.Fields, "token").Value), Owner: signer,
				Spender: spender, Amount: fieldBig(fieldNamed(f.Fields, "amount")), AllowanceTo: vc.Address, Path: tdPath(path + ".amount")})
		}
		list, ok := td.Lookup("details")
		base := "details"
		if !ok {
			list, base = fieldOr(td, "permitted"), "permitted"
		}
		if fieldNamed(list.Fields, "token").Name != "" {
			add(list, base)
		} else {
			for _, e := range list.Fields {
				add(e, base+e.Name)
			}
		}
		return out
	case td.PrimaryType == "TransferWithAuthorization" || td.PrimaryType == "ReceiveWithAuthorization":
		if vc == nil {
			return nil
		}
		f, _ := td.Lookup("value")
		return []Claim{{Token: vc.Address, Owner: owner("from"), Spender: tdAddr(td, "to"), Amount: fieldBig(f), Path: tdPath("value")}}
	}
	if o, ok := readOrder(c, td); ok && o.sellToken != (common.Address{}) {
		cl := Claim{Token: o.sellToken, Owner: o.owner, Amount: o.sellAmount, Path: tdPath("sellToken")}
		if cl.Owner == (common.Address{}) {
			cl.Owner = signer
		}
		switch o.venue {
		case "CoW Protocol":
			cl.AllowanceTo, cl.Spender = cowVaultRelayer, cowVaultRelayer
		default: // 1inch: the limit order protocol pulls with its own allowance
			if vc != nil {
				cl.AllowanceTo, cl.Spender = vc.Address, vc.Address
			}
			cl.Path = tdPath("makerAsset")
		}
		return []Claim{cl}
	}
	return nil
}

// fieldOr is the typed-data field at name, or an empty one.
func fieldOr(td *typeddata.TypedData, name string) typeddata.Field {
	f, _ := td.Lookup(name)
	return f
}
