package guard

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
)

// TG4xx: who controls an account or contract. Helpers are prefixed admin.

// adminUpgrades open their calldata as a delegatecall into the new
// implementation: that delegatecall is the upgrade (TG405), not a Safe's.
var adminUpgrades = map[string]bool{"upgradeToAndCall(address,bytes)": true, "upgradeAndCall(address,address,bytes)": true}

// Safe libraries a Safe may delegatecall, by the start of their built-in
// label (every version and deployment: "Safe SignMessageLib 1.4.1 (zkSync)").
var adminSafeLibraries = []string{"Safe MultiSendCallOnly ", "Safe SignMessageLib ", "Safe SafeMigration ",
	"Safe SafeToL2Migration ", "Safe SafeToL2Setup "}

const adminMultiSend = "Safe MultiSend " // not CallOnly: lets its own calls delegatecall too

// foreignSingleton is the first address argument of a call to a Safe
// library that is not one of Safe's own contracts (migrations take the new
// singleton and fallback handler as arguments): nil when there is none.
func foreignSingleton(c *Context, call *calldata.Call) *common.Address {
	if call.Signature == "" && len(call.Data) > 0 {
		return &common.Address{} // a function of the library nobody can read: fail closed
	}
	for _, a := range call.Args {
		if addr, ok := a.Address(); ok && addr != (common.Address{}) && !strings.HasPrefix(xferBuiltin(c).Addr(addr).Label, "Safe ") {
			return &addr
		}
	}
	return nil
}

// safeDelegatecall (TG401): a Safe running another contract's code as its
// own.
func safeDelegatecall(c *Context, r *Rule) []Finding {
	parents := adminParents(c)
	signer, _ := c.Signer()
	ctx := xferContexts(c, signer)
	var out []Finding
	for _, call := range c.Calls() {
		parent := parents[call]
		if call.Operation != calldata.OpDelegateCall || call.Target == nil || parent == nil || adminUpgrades[parent.Signature] {
			continue
		}
		account := xferWho(c, ctx[call].self)
		name := xferBuiltin(c).Addr(call.Target.Address).Label
		path := TxPath(call, "") + ".target"
		switch {
		case adminSafeLibrary(name) && foreignSingleton(c, call) == nil:
			continue
		case adminSafeLibrary(name):
			a := foreignSingleton(c, call)
			out = append(out, r.finding(Critical, "A Safe migration to code that is not Safe's",
				fmt.Sprintf("%s would DELEGATECALL %s (%s), a library Safe ships for migrations, but it is told to migrate to %s, which is no Safe contract txguard knows (or in a call txguard cannot read). "+
					"After this the Safe runs that code: it can move every asset, change the owners and the threshold.", account, name, call.Target.Address.Hex(), addrPhrase(c, *a)),
				path, "Do not sign. Safe migrations name Safe's own singletons and handlers."))
			continue
		case strings.HasPrefix(name, adminMultiSend):
			inner := 0
			for _, in := range call.Calls {
				if in.Operation == calldata.OpDelegateCall {
					inner++
				}
			}
			why := "None of its calls delegatecalls here, so the batch is safe as it stands."
			if inner > 0 {
				why = fmt.Sprintf("%d of its calls delegatecall themselves: each is judged in its own finding.", inner)
			}
			out = append(out, r.finding(Caution, "Safe batch through MultiSend rather than MultiSendCallOnly",
				fmt.Sprintf("%s runs a batch through %s (%s). Unlike MultiSendCallOnly, MultiSend lets each call in the batch "+
					"run other code with the Safe's full power (delegatecall). %s", account, name, call.Target.Address.Hex(), why),
				path, "Prefer wallets that batch with MultiSendCallOnly; check every call in the batch."))
		case parent.Target != nil && strings.HasPrefix(xferBuiltin(c).Addr(parent.Target.Address).Label, "Safe MultiSendCallOnly "):
			out = append(out, r.finding(Caution, "A delegatecall inside MultiSendCallOnly: the batch will fail",
				fmt.Sprintf("A call in this MultiSendCallOnly batch asks to run %s by delegatecall. MultiSendCallOnly refuses that, "+
					"so the whole Safe transaction reverts; nothing is moved, but the gas is spent and whoever built it did not build it honestly.",
					xferWho(c, call.Target.Address)),
				path, "Do not sign; ask whoever proposed the transaction why it contains a delegatecall."))
		default:
			lib := "not labelled"
			if name != "" {
				lib = name
			}
			who := "The Safe"
			if !strings.HasPrefix(parent.Signature, "execTransaction") && parent.Source != "safe_multisend" {
				who = "The account" // a smart account's execute (ERC-7579 delegatecall mode, executeUserOp...)
			}
			out = append(out, r.finding(Critical, who+" would run foreign code with full control (delegatecall)",
				fmt.Sprintf("%s would DELEGATECALL %s (%s): it runs that contract's code as if it were its own. "+
					"That code can move every asset of the account, add owners, lower the threshold or replace the account's logic, "+
					"with no further signature. Only Safe's own MultiSendCallOnly, SignMessageLib and migration libraries are meant to be delegatecalled.",
					account, call.Target.Address.Hex(), lib),
				path, "Do not sign. This is how the largest Safe thefts were done; reject it unless you audited that exact contract."))
		}
	}
	return out
}

func adminSafeLibrary(name string) bool {
	for _, p := range adminSafeLibraries {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// adminSubject gives the account a call acts on: its target, or for code
// run by delegatecall (a Safe library, an upgrade's initializer) the
// account that runs it.
func adminSubject(c *Context, call *calldata.Call) common.Address {
	signer, _ := c.Signer()
	if s, ok := xferContexts(c, signer)[call]; ok && s.self != (common.Address{}) {
		return s.self
	}
	return call.Target.Address
}

// adminParents maps every nested call to the call that carries it.
func adminParents(c *Context) map[*calldata.Call]*calldata.Call {
	out := map[*calldata.Call]*calldata.Call{}
	for _, call := range c.Calls() {
		for _, in := range call.Calls {
			out[in] = call
		}
	}
	return out
}

// safeOwnerChange (TG402): owners added, removed or swapped, or the
// threshold changed.
func safeOwnerChange(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		if call.Source != "safe" || call.Target == nil || len(call.Args) == 0 {
			continue
		}
		safe := xferWho(c, adminSubject(c, call))
		var title, what, path string
		switch call.Signature {
		case "addOwnerWithThreshold(address,uint256)":
			owner, threshold := adminAddr(call, 0), adminBig(call, 1)
			title = "A new owner for " + shortAddr(c, adminSubject(c, call)) + ": " + shortAddr(c, owner)
			what = fmt.Sprintf("This adds %s as an owner of %s and sets the signatures needed to %s. %s",
				xferWho(c, owner), safe, threshold, adminThreshold(threshold))
			if !c.WellKnown(owner) {
				what += " The new owner is in neither your address book nor any list txguard knows."
			}
			path = TxPath(call, call.Args[0].Name)
		case "removeOwner(address,address,uint256)":
			owner, threshold := adminAddr(call, 1), adminBig(call, 2)
			title = shortAddr(c, owner) + " removed from the owners of " + shortAddr(c, adminSubject(c, call))
			what = fmt.Sprintf("This removes %s from the owners of %s and sets the signatures needed to %s. %s",
				xferWho(c, owner), safe, threshold, adminThreshold(threshold))
			path = TxPath(call, call.Args[1].Name)
		case "swapOwner(address,address,address)":
			old, owner := adminAddr(call, 1), adminAddr(call, 2)
			title = "A new owner for " + shortAddr(c, adminSubject(c, call)) + ": " + shortAddr(c, owner) + " replaces " + shortAddr(c, old)
			what = fmt.Sprintf("This replaces the owner %s of %s with %s, who gets the same power to sign for the Safe.",
				xferWho(c, old), safe, xferWho(c, owner))
			if !c.WellKnown(owner) {
				what += " The new owner is in neither your address book nor any list txguard knows."
			}
			path = TxPath(call, call.Args[2].Name)
		case "changeThreshold(uint256)":
			threshold := adminBig(call, 0)
			title = "The signature threshold of " + shortAddr(c, adminSubject(c, call)) + " changes to " + threshold.String()
			what = fmt.Sprintf("This sets the number of owner signatures %s needs to %s. %s", safe, threshold, adminThreshold(threshold))
			path = TxPath(call, call.Args[0].Name)
		default:
			continue
		}
		out = append(out, r.finding(Danger, title,
			what+" Whoever controls the Safe's owners and threshold controls everything it holds.",
			path, "Sign only if every owner agreed to this change and you recognise each address exactly."))
	}
	return out
}

func adminThreshold(t *big.Int) string {
	switch {
	case t == nil:
		return ""
	case t.Sign() == 0:
		return "A threshold of 0 is invalid: the Safe will reject it."
	case t.Cmp(big.NewInt(1)) == 0:
		return "With a threshold of 1, any single owner can move everything on their own."
	}
	return ""
}

// safeModuleGuard (TG403): a module enabled, a guard or fallback handler
// set: each runs with power over the Safe.
func safeModuleGuard(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		if call.Source != "safe" || call.Target == nil || len(call.Args) == 0 {
			continue
		}
		safe := xferWho(c, adminSubject(c, call))
		switch call.Signature {
		case "enableModule(address)":
			m := adminAddr(call, 0)
			sev := Danger
			switch {
			case c.Contact(m):
				sev = Caution
			case c.WellKnown(m):
				sev = Info
			}
			out = append(out, r.finding(sev, "Module "+shortAddr(c, m)+" enabled on "+shortAddr(c, adminSubject(c, call)),
				fmt.Sprintf("This lets %s act for %s: a module executes any transaction from the Safe without a single owner signature, "+
					"so it can move every asset the Safe holds, at any time, until the owners disable it.", xferWho(c, m), safe),
				TxPath(call, call.Args[0].Name), "Enable a module only if you know exactly what its code does and who can use it."))
		case "disableModule(address,address)":
			if len(call.Args) < 2 {
				continue
			}
			out = append(out, r.finding(Info, "Module "+shortAddr(c, adminAddr(call, 1))+" disabled on "+shortAddr(c, adminSubject(c, call)),
				fmt.Sprintf("This takes away the power of %s to act for %s without signatures.", xferWho(c, adminAddr(call, 1)), safe),
				TxPath(call, call.Args[1].Name), ""))
		case "setGuard(address)", "setModuleGuard(address)": // the second: Safe 1.5, on module transactions
			g := adminAddr(call, 0)
			sev, what := Danger, fmt.Sprintf("This makes %s the guard of %s. A guard is asked before and after every Safe transaction and can refuse it: "+
				"a hostile guard can freeze the Safe for good or hold it to ransom.", xferWho(c, g), safe)
			switch {
			case g == (common.Address{}):
				sev, what = Caution, fmt.Sprintf("This removes the guard of %s: whatever checks it enforced on every transaction stop.", safe)
			case c.WellKnown(g):
				sev = Info
			}
			out = append(out, r.finding(sev, "The transaction guard of "+shortAddr(c, adminSubject(c, call))+" changes to "+shortOrNone(c, g), what,
				TxPath(call, call.Args[0].Name), "Set a guard only if you know its code; a wrong one can lock every owner out."))
		case "setFallbackHandler(address)":
			h := adminAddr(call, 0)
			name := xferBuiltin(c).Addr(h).Label
			sev, what := Danger, fmt.Sprintf("This makes %s the fallback handler of %s: every call the Safe does not know is forwarded to it, "+
				"sent by the Safe itself. Anything that is not a real handler turns this into a hole: if it is a token or an app, "+
				"anyone can make the Safe call it, for instance to transfer the Safe's tokens.", xferWho(c, h), safe)
			switch {
			case h == (common.Address{}):
				sev, what = Info, fmt.Sprintf("This removes the fallback handler of %s; it can no longer validate signatures of messages (EIP-1271) or receive some NFTs.", safe)
			case strings.HasPrefix(name, "Safe ") && strings.Contains(name, "Handler"):
				sev, what = Info, fmt.Sprintf("This makes %s, a standard Safe handler, the fallback handler of %s.", xferWho(c, h), safe)
			}
			out = append(out, r.finding(sev, "The fallback handler of "+shortAddr(c, adminSubject(c, call))+" changes to "+shortOrNone(c, h), what,
				TxPath(call, call.Args[0].Name), "Use only Safe's own handlers unless you audited the contract."))
		}
	}
	return out
}

// safeGasRefund (TG404): a Safe transaction that pays its executor back,
// in a token or to someone else.
func safeGasRefund(c *Context, r *Rule) []Finding {
	signer, known := c.Signer()
	var out []Finding
	for _, call := range c.Calls() {
		if call.Signature != "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)" || len(call.Args) < 9 || call.Target == nil {
			continue
		}
		baseGas, gasPrice := adminBig(call, 5), adminBig(call, 6)
		gasToken, receiver := adminAddr(call, 7), adminAddr(call, 8)
		zero := common.Address{}
		if gasPrice == nil || baseGas == nil {
			continue
		}
		safe := xferWho(c, adminSubject(c, call))
		if gasPrice.Sign() == 0 {
			// The Safe pays only when gasPrice > 0; the fields are signed
			// all the same, so odd ones are worth a word.
			if gasToken != zero || receiver != zero && (!known || receiver != signer) {
				out = append(out, r.finding(Caution, "Unusual gas refund fields (nothing is paid)",
					fmt.Sprintf("This Safe transaction names a refund token %s and a refund receiver %s, but its gas price is 0, so %s pays no refund. "+
						"Wallets leave these fields empty.", xferWho(c, gasToken), xferWho(c, receiver), safe),
					TxPath(call, call.Args[8].Name), "Ask whoever prepared the transaction why these fields are set."))
			}
			continue
		}
		// gasPrice > 0: the Safe refunds (gas used + baseGas) x gasPrice in
		// gasToken (0: ETH) to refundReceiver (0: whoever submits it).
		// refundReceiver 0 means tx.origin: the account signing this very
		// transaction, known or not.
		// A signed SafeTx (typed data, the service's JSON) is executed by
		// whoever holds the signatures: refundReceiver 0 pays them, not you.
		self := receiver == zero && c.In.Op == nil || known && receiver == signer
		if safeTxGas := adminBig(call, 4); gasToken == zero && safeTxGas != nil {
			limit := new(big.Int).Mul(new(big.Int).Add(safeTxGas, baseGas), gasPrice)
			if limit.Cmp(maxSafeRefund) > 0 {
				out = append(out, r.finding(Danger, "A gas refund of up to "+c.lab.Ether(limit),
					fmt.Sprintf("This Safe transaction refunds up to %s of %s's ETH to %s as \"gas\" ((safeTxGas + baseGas) x gasPrice): far more than any transaction costs. "+
						"Whoever executes it keeps the difference: it is a transfer dressed as a refund.", c.lab.Ether(limit), safe, refundWho(c, receiver)),
					TxPath(call, call.Args[6].Name), "Do not sign: a real Safe transaction sets gasPrice 0, or a refund of a few dollars."))
				continue
			}
		}
		if self && gasToken == zero {
			continue // paying back your own gas in ETH is what refunds are for
		}
		sev, evidence := Danger, TxPath(call, call.Args[8].Name)
		if self {
			sev = Caution
		}
		if gasToken != zero {
			evidence = TxPath(call, call.Args[7].Name)
		}
		who, short := xferWho(c, receiver), "an unknown address"
		switch {
		case receiver == zero:
			who, short = "whoever submits the transaction", "the submitter"
			if known {
				who += " (" + xferWho(c, signer) + ")"
			}
		case c.Label(receiver).Label != "":
			short = c.Label(receiver).Label
		}
		out = append(out, r.finding(sev, "The Safe pays a gas refund to "+short,
			fmt.Sprintf("Besides its purpose, this transaction makes %s pay %s to %s: %s. The gas price and base gas are chosen by whoever built it, "+
				"so a refund is a way to take money out of the Safe.", safe, adminRefund(c, gasToken, gasPrice, baseGas), who, adminRefundMath(gasToken, gasPrice, baseGas)),
			evidence, "Sign only if you expected a relayer to be paid, and the receiver and amount are what you agreed."))
	}
	return out
}

// adminRefund is the largest refund the Safe can pay: (gas + baseGas) x
// gasPrice, with gas at most the transaction's gas limit.
func adminRefund(c *Context, token common.Address, gasPrice, baseGas *big.Int) string {
	unit := func(v *big.Int) string {
		if token == (common.Address{}) {
			return xferBuiltin(c).Ether(v)
		}
		if t, ok := c.Token(token); ok {
			return label.Units(v, t.Decimals) + " " + t.Symbol
		}
		return v.String() + " raw units of " + xferWho(c, token)
	}
	least := unit(new(big.Int).Mul(baseGas, gasPrice))
	if t := c.In.Tx; t != nil && t.Gas != nil {
		most := new(big.Int).Mul(new(big.Int).Add(new(big.Int).SetUint64(*t.Gas), baseGas), gasPrice)
		return fmt.Sprintf("between %s and %s", least, unit(most))
	}
	return "at least " + least
}

func adminRefundMath(token common.Address, gasPrice, baseGas *big.Int) string {
	price := gasPrice.String()
	if token == (common.Address{}) {
		price = label.Gwei(gasPrice)
	}
	return fmt.Sprintf("(gas used + base gas %s) × gas price %s", baseGas, price)
}

// proxyUpgrade (TG405): new code or a new admin for an upgradeable proxy.
func proxyUpgrade(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		if call.Target == nil {
			continue
		}
		target := adminSubject(c, call)
		var proxy, who common.Address
		var arg int
		var admin bool
		switch call.Signature {
		case "upgradeTo(address)", "upgradeToAndCall(address,bytes)", "changeMasterCopy(address)": // the last: Safe 1.0-1.2
			proxy, arg = target, 0
		case "changeAdmin(address)":
			proxy, arg, admin = target, 0, true
		case "upgrade(address,address)", "upgradeAndCall(address,address,bytes)":
			proxy, arg = adminAddr(call, 0), 1
		case "changeProxyAdmin(address,address)":
			proxy, arg, admin = adminAddr(call, 0), 1, true
		default:
			continue
		}
		if len(call.Args) <= arg {
			continue
		}
		who = adminAddr(call, arg)
		what := "new code"
		if admin {
			what = "new admin"
		}
		known := fmt.Sprintf("The %s is in neither your address book nor any list txguard knows.", what)
		if c.WellKnown(who) {
			known = fmt.Sprintf("The %s is labelled %s.", what, c.Label(who).Label)
		}
		if admin {
			out = append(out, r.finding(Danger, "A new admin for "+shortAddr(c, proxy)+": "+shortAddr(c, who),
				fmt.Sprintf("This makes %s the admin of %s. %s The admin can replace the contract's code at any time, "+
					"and with it take whatever the contract holds or users approved to it.", xferWho(c, who), xferWho(c, proxy), known),
				TxPath(call, call.Args[arg].Name), "Sign only if this admin change was announced and you verified the new admin address."))
			continue
		}
		call2 := ""
		if strings.HasSuffix(call.Name, "AndCall") {
			call2 = " It also runs a call in the new code straight away."
		}
		out = append(out, r.finding(Danger, "The code of "+shortAddr(c, proxy)+" is replaced with "+shortAddr(c, who),
			fmt.Sprintf("This upgrades %s to run the code at %s. %s From then on that code decides everything the contract does: "+
				"it can move every token the contract holds or that users approved to it.%s", xferWho(c, proxy), who.Hex(), known, call2),
			TxPath(call, call.Args[arg].Name), "Sign only if this upgrade was reviewed and you verified the implementation address."))
	}
	return out
}

// maxSafeRefund is 0.1 ETH: a refund above it pays for far more gas than a
// Safe transaction uses at any sane price.
var maxSafeRefund = big.NewInt(1e17)

func refundWho(c *Context, receiver common.Address) string {
	if receiver == (common.Address{}) {
		return "whoever executes it"
	}
	return xferWho(c, receiver)
}

// ownershipTransfer (TG406): a contract's owner handed over or renounced.
var ownershipSignatures = map[string]bool{"transferOwnership(address)": true, "renounceOwnership()": true, "acceptOwnership()": true}

func ownershipTransfer(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		if call.Target == nil || !ownershipSignatures[call.Signature] {
			continue
		}
		contract := xferWho(c, adminSubject(c, call))
		switch call.Signature {
		case "transferOwnership(address)":
			if len(call.Args) == 0 {
				continue
			}
			owner := adminAddr(call, 0)
			sev := Danger
			if c.WellKnown(owner) {
				sev = Caution
			}
			out = append(out, r.finding(sev, "Ownership of "+shortAddr(c, adminSubject(c, call))+" handed to "+shortAddr(c, owner),
				fmt.Sprintf("This makes %s the owner of %s. The owner can use every admin function of the contract "+
					"(pause it, change fees, mint, upgrade it, move funds, depending on the contract), and you lose them.",
					xferWho(c, owner), contract),
				TxPath(call, call.Args[0].Name), "Sign only if you mean to give this contract away, to exactly this address."))
		case "renounceOwnership()":
			out = append(out, r.finding(Danger, "Ownership of "+shortAddr(c, adminSubject(c, call))+" given up for good",
				fmt.Sprintf("This removes the owner of %s for ever: no one, you included, can use its admin functions again. "+
					"It cannot be undone.", contract),
				TxPath(call, ""), "Sign only if you mean to make the contract ownerless permanently."))
		case "acceptOwnership()":
			out = append(out, r.finding(Info, "Accepting ownership of "+shortAddr(c, adminSubject(c, call)),
				fmt.Sprintf("This makes the caller the owner of %s, completing a two-step handover.", contract),
				TxPath(call, ""), ""))
		}
	}
	return out
}

func adminAddr(call *calldata.Call, i int) common.Address {
	if i >= len(call.Args) {
		return common.Address{}
	}
	a, _ := call.Args[i].Address()
	return a
}

func adminBig(call *calldata.Call, i int) *big.Int {
	if i >= len(call.Args) {
		return nil
	}
	return call.Args[i].Big()
}

// accountControl are the functions by which a smart account (ERC-7579,
// Kernel, Coinbase Smart Wallet, Light Account) gets a new owner, signer,
// validator, executor, hook or module: whoever is added can act as the
// account. Safe's own are TG402/TG403's.
var accountControl = map[string]string{
	"installModule(uint256,address,bytes)":                     "installs a module",
	"addOwnerAddress(address)":                                 "adds an owner",
	"addOwnerPublicKey(bytes32,bytes32)":                       "adds a passkey owner",
	"setDefaultValidator(address,bytes)":                       "replaces the validator that approves its operations",
	"changeRootValidator(bytes21,address,bytes,bytes)":         "replaces the root validator that approves its operations",
	"setExecution(bytes4,address,address,uint48,uint48,bytes)": "sets who may execute a function",
	"updateOwners(address[],address[])":                        "changes its owners",
}

// accountControlChange is TG407: a smart account handing control to
// someone: a new owner, passkey, validator or module (danger unless that
// is a contact or a well-known contract: caution), and Coinbase Smart
// Wallet's executeWithoutChainIdValidation, which is valid on every chain.
func accountControlChange(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		if call.Target == nil {
			continue
		}
		account := xferWho(c, adminSubject(c, call))
		if call.Signature == "executeWithoutChainIdValidation(bytes[])" {
			out = append(out, r.finding(Danger, "Account calls valid on every chain",
				fmt.Sprintf("This makes %s run calls with executeWithoutChainIdValidation: the signature is valid on every chain the account exists on, so whoever has it can replay these calls there.", account),
				TxPath(call, ""), "Do not sign unless you meant to change the account on every chain at once."))
			continue
		}
		what, ok := accountControl[call.Signature]
		if !ok {
			continue
		}
		party, sev, who := common.Address{}, Danger, "a key or code nobody labelled"
		for _, a := range call.Args {
			if addr, isAddr := a.Address(); isAddr && addr != (common.Address{}) {
				party, who = addr, addrPhrase(c, addr)
				break
			}
		}
		if party != (common.Address{}) && c.WellKnown(party) {
			sev = Caution
		}
		out = append(out, r.finding(sev, fmt.Sprintf("The account %s: %s", what, shortName(c, party)),
			fmt.Sprintf("This call %s on %s, for %s. From then on that party can act as the account: move everything it holds and change it further, without your key.", what, account, who),
			TxPath(call, ""), "Sign only if you are adding this yourself, from your wallet's own settings."))
	}
	return out
}

// shortOrNone is shortAddr, with the zero address read as "none".
func shortOrNone(c *Context, a common.Address) string {
	if a == (common.Address{}) {
		return "none"
	}
	return shortAddr(c, a)
}

func shortName(c *Context, a common.Address) string {
	if a == (common.Address{}) {
		return "a passkey or key"
	}
	return shortAddr(c, a)
}
