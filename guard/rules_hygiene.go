package guard

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/evm"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/tx"
)

func replayableTransaction(c *Context, r *Rule) []Finding {
	t := c.In.Tx
	if t == nil || !t.Replayable {
		return nil
	}
	return []Finding{r.finding(Danger, "Transaction valid on every chain",
		"This is a legacy transaction without a chain id (it predates EIP-155). Once signed, anyone who sees it can broadcast "+
			"the same transaction on every other EVM chain where your account has the same nonce, sending the same value and calling the same address there.",
		"tx.replayable",
		"Do not sign or broadcast it. Any current wallet signs with a chain id; ask for an EIP-155 or EIP-1559 transaction for the chain you mean.")}
}

// chainAdvice offers --chain only with an id it takes: no real chain's id
// is past 64 bits.
func chainAdvice(name, id string) string {
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return "Reject it: no chain you could mean has this id."
	}
	return fmt.Sprintf("Switch to the chain you mean, or reject it; if you did mean %s, check again with --chain %s.", name, id)
}

// signerMismatch: --from says which account the user signs with, as
// --chain says which chain. An input that is signed by another account,
// or asks another one to sign, is not what the user thinks it is: a key
// other than theirs signed it (a wrong account picked in the wallet, a
// transaction swapped on the way), or a site asks their wallet for an
// account they did not name. The rules judge the input as it is, for its
// own signer; this finding says that signer is not the one the user named.
func signerMismatch(c *Context, r *Rule) []Finding {
	if c.cfg.Signer == nil {
		return nil
	}
	want := *c.cfg.Signer
	var out []Finding
	mismatch := func(have common.Address, signed bool, evidence string) {
		why := fmt.Sprintf("This request asks %s to sign it, but you named %s with --from: "+
			"it asks your wallet for another account than the one you meant.", signerPhrase(c, have), label.Hex(want))
		if signed {
			why = fmt.Sprintf("This transaction is signed by %s, but you named %s with --from: "+
				"another key than the one you meant signed it (another account picked in the wallet, or a transaction swapped on the way).",
				signerPhrase(c, have), label.Hex(want))
		}
		out = append(out, r.finding(Danger, "For another account than --from", why+" The rules judged it for that account.",
			evidence, fmt.Sprintf("Reject it unless you meant that account; if you did, check again with --from %s.", label.Hex(have))))
	}
	if t := c.In.Tx; t != nil && t.From != nil && t.From.Address != want {
		// A relayer may send a transaction that carries the user's own
		// EIP-7702 authorization: the account named then takes part, as
		// the authority it signed for, if the authorization can take
		// effect here (EIP-7702 skips one for another chain or with the
		// nonce 2^64-1, and the transaction is then the relayer's alone).
		sponsored := slices.ContainsFunc(t.Authorizations, func(a tx.Authorization) bool {
			return a.Authority != nil && a.Authority.Address == want && a.Nonce < math.MaxUint64 &&
				(a.AnyChain || t.ChainID != nil && a.ChainID == t.ChainID.String())
		})
		if !sponsored {
			mismatch(t.From.Address, t.FromSource == "recovered", "tx.from")
		}
	}
	if s := c.In.Signer; s != nil && s.Address != want {
		mismatch(s.Address, false, "signer")
	}
	return out
}

// signerPhrase names the input's own signer, for a person: its label
// when it is a contact or a known contract, else its address (addrPhrase
// would call it "your own account", the very claim TG610 disputes).
func signerPhrase(c *Context, a common.Address) string {
	if l := c.Label(a); l.Known() {
		return l.Label + " (" + label.Hex(a) + ")"
	}
	return label.Hex(a)
}

func chainMismatch(c *Context, r *Rule) []Finding {
	want := c.Chain()
	if want == 0 {
		return nil
	}
	wantName := fmt.Sprintf("%s (%d)", label.ChainName(want), want)
	mismatch := func(what, have, haveName, evidence string) Finding {
		return r.finding(Danger, "For another chain than you expect",
			fmt.Sprintf("%s is for %s (chain id %s), but you are on %s. "+
				"Signed, it acts on that other chain, where the same addresses can hold different contracts or none at all.",
				what, haveName, have, wantName),
			evidence, chainAdvice(haveName, have))
	}
	var out []Finding
	if t := c.In.Tx; t != nil {
		// Chain id 0 on a typed transaction is no chain at all, a broken
		// consensus rule that TG606 reports.
		if id := t.ChainID; id != nil && id.Sign() > 0 && (!id.IsUint64() || id.Uint64() != want) {
			out = append(out, mismatch("This transaction", id.String(), t.ChainName, "tx.chainId"))
		}
		for i, a := range t.Authorizations {
			if !a.AnyChain && a.ChainID != fmt.Sprint(want) {
				out = append(out, mismatch(fmt.Sprintf("EIP-7702 authorization %d", i), a.ChainID, a.ChainName, authPath(i, "chainId")))
			}
		}
	}
	if op := c.In.Op; op != nil && op.ChainID != "" && c.In.TypedData == nil && op.ChainID != fmt.Sprint(want) {
		id, _ := new(big.Int).SetString(op.ChainID, 10)
		name := op.ChainID
		if id != nil && id.IsUint64() {
			name = label.ChainName(id.Uint64())
		}
		out = append(out, mismatch("This request", op.ChainID, name, "op.chainId"))
	}
	if td := c.In.TypedData; td != nil && td.Domain.ChainID != "" {
		id, ok := new(big.Int).SetString(td.Domain.ChainID, 10)
		if ok && (!id.IsUint64() || id.Uint64() != want) {
			name := td.Domain.ChainName
			if name == "" {
				name = "chain " + id.String()
			}
			out = append(out, mismatch("This signature request", id.String(), name, "typedData.domain.chainId"))
		}
	}
	return out
}

// Fee ceilings. They hold where gas is paid in ETH: on Ethereum a fee cap
// above 500 gwei is only met in rare, short congestion spikes, and above
// 2,000 gwei it is a typo (a digit or three too many) or a drain of the
// signer's ETH into fees; L2s charge a fraction of a gwei, so there the
// ceilings are generous. A max fee of 1 ETH is about twenty times what a
// busy-day swap or mint may cost (500,000 gas at 100 gwei is 0.05 ETH); a
// deployment using the whole 16.7M-gas limit of EIP-7825 stays below it up
// to a 59 gwei fee cap.
// Chains paying gas in another currency (POL, BNB, AVAX...) price gas
// differently and txguard has no exchange rate offline, so the ceilings do
// not apply there.
var (
	feeCaution  = new(big.Int).Mul(big.NewInt(500), big.NewInt(params.GWei))
	feeDanger   = new(big.Int).Mul(big.NewInt(2000), big.NewInt(params.GWei))
	costDanger  = big.NewInt(params.Ether)
	blobGasUsed = big.NewInt(params.BlobTxBlobGasPerBlob)
)

// feeLevel judges one fee per gas against the ceilings.
func feeLevel(fee *big.Int) Level {
	switch {
	case fee == nil:
		return OK
	case fee.Cmp(feeDanger) > 0:
		return Danger
	case fee.Cmp(feeCaution) > 0:
		return Caution
	}
	return OK
}

// maxCost is the most the transaction can pay in fees: gas limit times the
// fee cap, plus every blob at its fee cap. ok is false without a gas limit
// or fee (a request the wallet still fills in).
func maxCost(t *tx.Tx) (cost *big.Int, ok bool) {
	fee := t.MaxFeePerGas
	if fee == nil {
		fee = t.GasPrice
	}
	if t.Gas == nil || fee == nil || fee.Int == nil {
		return nil, false
	}
	cost = new(big.Int).Mul(fee.Int, new(big.Int).SetUint64(*t.Gas))
	if b := t.MaxFeePerBlobGas; b != nil && b.Int != nil {
		blobs := new(big.Int).Mul(big.NewInt(int64(len(t.BlobHashes))), blobGasUsed)
		cost.Add(cost, blobs.Mul(blobs, b.Int))
	}
	return cost, true
}

// paysInETH reports whether gas on chain (0: unknown) is paid in ETH, the
// currency the fee ceilings are set in. An unknown chain is assumed to be
// one, as label.Labeler.Native does.
func paysInETH(chain uint64) bool {
	if chain == 0 {
		return true
	}
	ch, ok := label.ChainByID(chain)
	return ok && ch.Native == "ETH"
}

func absurdFees(c *Context, r *Rule) []Finding {
	t := c.In.Tx
	if t == nil {
		return nil
	}
	var out []Finding
	// A tip above the cap is never included; when a wallet "repairs" it by
	// raising the cap, the signer pays the whole tip.
	if tip, fee := t.MaxPriorityFeePerGas, t.MaxFeePerGas; tip != nil && fee != nil && tip.Int != nil && fee.Int != nil && tip.Int.Cmp(fee.Int) > 0 {
		out = append(out, r.finding(Danger, "Priority fee above the max fee",
			fmt.Sprintf("The priority fee (tip) of %s per gas is above the max fee of %s per gas. The network rejects such a transaction; "+
				"a tool that fixes it by raising the max fee would make you pay the whole tip to the block builder. Fee fields like these come from a bug or a tampered request.",
				tip.Human, fee.Human),
			"tx.maxPriorityFeePerGas",
			"Reject it and let your wallet set the fees."))
	}
	chain := chainOf(c.In, c.cfg)
	if !paysInETH(chain) {
		return out
	}
	cost, haveCost := maxCost(t)
	// Only a finding reads the cost in words: most inputs have none.
	costText := func() string {
		if !haveCost {
			return ""
		}
		return fmt.Sprintf(" With a gas limit of %d, this transaction may spend up to %s on fees.", *t.Gas, label.New(chain, nil).Ether(cost))
	}
	danger := false
	const gasTypical = "everyday fees on Ethereum are tens of gwei at most, and a fraction of a gwei on layer 2s"
	for _, f := range []struct {
		w              *tx.Wei
		name, evidence string
		unit, typical  string
	}{
		{t.GasPrice, "gas price", "tx.gasPrice", "gas", gasTypical},
		{t.MaxFeePerGas, "max fee", "tx.maxFeePerGas", "gas", gasTypical},
		{t.MaxFeePerBlobGas, "max fee for blob data", "tx.maxFeePerBlobGas", "blob gas", "blob fees are normally far below the fee for ordinary gas"},
	} {
		if f.w == nil {
			continue
		}
		switch feeLevel(f.w.Int) {
		case Danger:
			danger = true
			out = append(out, r.finding(Danger, "Absurdly high fee",
				fmt.Sprintf("The %s is %s per %s, above the 2,000 gwei that txguard treats as a sane ceiling: %s.%s "+
					"A fee like this is a typo or a way to burn your ETH in fees.", f.name, f.w.Human, f.unit, f.typical, costText()),
				f.evidence,
				"Reject it and let your wallet estimate the fee."))
		case Caution:
			out = append(out, r.finding(Caution, "Unusually high fee",
				fmt.Sprintf("The %s is %s per %s, above 500 gwei: Ethereum only sees fees like this in rare congestion spikes.%s", f.name, f.w.Human, f.unit, costText()),
				f.evidence,
				"Unless the network is congested right now and you are in a hurry, let your wallet estimate a lower fee."))
		}
	}
	if haveCost && !danger && cost.Cmp(costDanger) > 0 {
		out = append(out, r.finding(Danger, "Fees could cost more than 1 ETH",
			fmt.Sprintf("The gas limit of %d times the fee cap lets this transaction spend up to %s on fees, "+
				"far more than any everyday transaction needs.", *t.Gas, label.New(chain, nil).Ether(cost)),
			"tx.gas",
			"Reject it, or lower the gas limit and fee to what your wallet estimates."))
	}
	return out
}

// contractCreation is TG604: a deployment. Its init code is analysed as
// inspect does: a constructor that
// DELEGATECALLs, CALLCODEs or SELFDESTRUCTs runs that at once, with the
// value sent, so it is danger (a deployment that pays a stranger the
// moment it runs is a disguised transfer).
func contractCreation(c *Context, r *Rule) []Finding {
	if t := c.In.Tx; t != nil && t.To == nil {
		out := []Finding{r.finding(Caution, "Deploys a new contract",
			fmt.Sprintf("This transaction has no recipient: it creates a contract from %d bytes of init code, and whatever that code does runs with your account as the deployer. "+
				"Deploying is normal for developers and rare for anyone else; a dapp that asks an everyday user to deploy something is unusual.", len(t.Data)),
			"tx.to",
			"Only sign if you are deploying a contract yourself, from code you built or checked.")}
		value := ""
		if t.Value.Int != nil && t.Value.Int.Sign() > 0 {
			value = ", with the " + t.Value.Human + " this transaction sends,"
		}
		return append(out, initCodeFindings(c, r, t.Data, value, "tx.data")...)
	}
	// A creation inside an account operation or batch (a wallet_sendCalls
	// call without "to"): the same init code, run by the account.
	var out []Finding
	for _, call := range c.Calls() {
		if call.Target != nil || call.Kind != calldata.KindCall || call.Path == "call" {
			continue
		}
		value := ""
		if call.Value != nil && call.Value.Sign() > 0 {
			value = ", with the " + call.Human + " it sends,"
		}
		out = append(out, r.finding(Caution, "Deploys a new contract from the account",
			fmt.Sprintf("This call has no recipient: it creates a contract from %d bytes of init code%s.", len(call.Data), value),
			TxPath(call, ""), "Only sign if you are deploying a contract yourself, from code you built or checked."))
		out = append(out, initCodeFindings(c, r, call.Data, value, TxPath(call, ""))...)
	}
	return out
}

// initCodeFindings analyses init code as inspect does: a constructor that
// DELEGATECALLs, CALLCODEs or SELFDESTRUCTs runs that at once.
func initCodeFindings(c *Context, r *Rule, code []byte, value, path string) []Finding {
	a, err := evm.Analyze(code)
	if err != nil {
		return []Finding{r.finding(Caution, "Init code txguard could not analyse",
			"The init code does not read as EVM code ("+err.Error()+"), so what it does when deployed has not been checked.", path,
			"Only sign if you built this code yourself.")}
	}
	var out []Finding
	for _, k := range a.Concerns {
		if k.Part != evm.PartConstructor || k.Op != "DELEGATECALL" && k.Op != "CALLCODE" && k.Op != "SELFDESTRUCT" {
			continue
		}
		target := "an address it computes"
		if k.Address != nil {
			target = addrPhrase(c, *k.Address)
		}
		out = append(out, r.finding(Danger, "Init code that runs "+k.Op+" while it deploys",
			fmt.Sprintf("The constructor of this deployment executes %s at pc %d, towards %s. It runs at once%s as part of this transaction: "+
				"a deployment that hands control or funds to other code the moment it runs is not a plain deployment.", k.Op, k.PC, target, value),
			path, "Do not sign unless you wrote this constructor and know why it does that."))
	}
	return out
}

// tokenFamilies are the curated ABIs of token standards: their functions
// do not pay for anything in ETH.
var tokenFamilies = map[string]bool{"erc20": true, "erc721": true, "erc1155": true, "dai": true}

func valueWithTokenCall(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		if call.Value == nil || call.Value.Sign() <= 0 || !tokenFamilies[call.Source] {
			continue
		}
		out = append(out, r.finding(Danger, call.Human+" sent along with a token call to "+shortAddr(c, call.Target.Address),
			fmt.Sprintf("This call sends %s together with %s on %s. Token functions do not take ETH: "+
				"the call fails and you pay the fee for nothing, or, if the contract accepts it, the ETH stays in the token contract and nobody can give it back. "+
				"A real dapp never does this; it is how a disguised ETH payment looks.", call.Human, call.Signature, call.Target),
			TxPath(call, ""),
			"Reject it. To pay in ETH send it on its own; to move tokens send a value of 0."))
	}
	return out
}

// Problems other rules report in their own words.
func reportedElsewhere(p string) bool {
	return strings.HasPrefix(p, "max priority fee") // TG603
}

func invalidTransaction(c *Context, r *Rule) []Finding {
	t := c.In.Tx
	if t == nil {
		return nil
	}
	var out []Finding
	for i, p := range t.Problems {
		if reportedElsewhere(p) {
			continue
		}
		ev := fmt.Sprintf("tx.problems[%d]", i)
		if strings.HasPrefix(p, "signature does not recover a sender") {
			out = append(out, r.finding(Danger, "Signature does not match the transaction",
				"No account can be recovered from this transaction's signature ("+p+"). "+
					"The transaction was corrupted or altered after it was signed, so what you see is not what anyone signed.",
				ev, "Do not broadcast it; get the transaction again from its source."))
			continue
		}
		out = append(out, r.finding(Caution, "Transaction can never be included",
			"This transaction breaks a consensus rule, so no network will accept it: "+p+". "+
				"Signing it is useless at best, and a request this malformed may be built to confuse wallets.",
			ev, "Reject it and ask the dapp or wallet for a valid transaction."))
	}
	return out
}

// unknownCall reports whether txguard cannot name call's function, or
// names it only from the public 4byte table, where anyone may register a
// name for any selector: such a name is a guess.
func unknownCall(call *calldata.Call) (why string, unknown bool) {
	switch {
	case strings.HasPrefix(call.Error, "unknown function selector"):
		return "its function selector " + call.Selector + " is in no ABI txguard knows", true
	case call.Source == "4byte":
		return "its function " + call.Signature + " is named only by the public 4byte table, where anyone can register any name for a selector: the name is a guess", true
	}
	return "", false
}

// fnWords names a call's function in a title: its 4byte name with its
// selector, since the name is only a guess, or the selector alone.
func fnWords(call *calldata.Call) string {
	if call.Name != "" && call.Selector != "" {
		return call.Name + " (" + call.Selector + ")"
	}
	return cmp.Or(call.Selector, "without a selector")
}

func unknownFunction(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		if call.Target == nil {
			continue
		}
		why, ok := unknownCall(call)
		if !ok {
			continue
		}
		if c.WellKnown(call.Target.Address) {
			out = append(out, r.finding(Info, "Function "+fnWords(call)+" on "+shortAddr(c, call.Target.Address)+" not recognised",
				fmt.Sprintf("This call goes to %s, which txguard knows, but %s.", call.Target, why),
				TxPath(call, ""),
				"Check what the dapp says this call does."))
			continue
		}
		out = append(out, r.finding(Caution, "Unknown function "+fnWords(call)+" on "+shortAddr(c, call.Target.Address),
			fmt.Sprintf("This call goes to %s, a contract nobody has labelled, and %s. "+
				"txguard cannot tell what it does, and an unreadable call to an unlabelled contract is how drainer sites hide what they take.", call.Target, why),
			TxPath(call, ""),
			"Only sign if you know this contract and what this call does, e.g. from its verified source."))
	}
	return out
}

// undecodedCall fails closed on calldata the decoder could not read: the
// rules judge only what was decoded, so what was not must not pass as
// harmless. Nesting past the decoder's depth limit has no honest use and
// hides whatever sits below it: danger. Truncated or malformed arguments
// usually revert, but only a contract's own code decides: caution.
func undecodedCall(c *Context, r *Rule) []Finding {
	var out []Finding
	for _, call := range c.Calls() {
		switch {
		case call.Error == "" || strings.HasPrefix(call.Error, "unknown function selector"): // TG607's
		case strings.HasPrefix(call.Error, calldata.BudgetExceeded):
			// Offsets that point at the same bytes over and over: no
			// encoder makes them, and what they hide was not read.
			out = append(out, r.finding(Danger, "Calldata that expands past what txguard reads",
				"This call's ABI offsets point at the same bytes over and over, so reading it in full would take far more work than any real transaction needs. txguard stopped there: what it hides has not been checked. No honest dapp encodes calls like this.",
				TxPath(call, ""), "Reject: this encoding is built to hide something or to stall a checker."))
		case strings.HasPrefix(call.Error, "nested deeper"):
			out = append(out, r.finding(Danger, "Calls nested too deep to check",
				fmt.Sprintf("This input hides calls more than %d levels deep. txguard stops reading there, so nothing below has been checked, and no everyday dapp nests calls this deep.", calldata.MaxDepth),
				TxPath(call, ""), "Reject: ask the dapp why its calls are nested this deep."))
		case strings.HasPrefix(call.Error, "calldata is not the canonical encoding"):
			out = append(out, r.finding(Info, "Calldata carries extra bytes",
				"This call's arguments decode, but the calldata has bytes beyond them (some dapps append tracking tags). The contract may read them.",
				TxPath(call, ""), "Fine when the dapp is known to tag its calls; otherwise ask why."))
		case strings.Contains(call.Error, "on Universal Router 2.1; a 2.0 router reads this byte"):
			out = append(out, r.finding(Caution, "Router command that depends on the router version",
				call.Name+": "+call.Error+".", TxPath(call, ""), "Check which Universal Router version this is sent to."))
		default:
			// Malformed bytes are not harmless: an account that decodes
			// without bounds checks, or a token compiled before Solidity
			// 0.5, acts on what txguard could not read.
			out = append(out, r.finding(Danger, "Calldata that does not decode",
				fmt.Sprintf("txguard could not read this call (%s), so no rule has checked it. Contracts that decode loosely (some smart accounts' batch decoders, old tokens) still act on such bytes: an approval can hide in them.", call.Error),
				TxPath(call, ""), "Do not sign: calldata from a real dapp decodes."))
		}
	}
	return out
}
