package guard

// registry is the one table of rules, in ID order. IDs are stable: a rule
// that changes meaning gets a new ID. TG1xx approvals, TG2xx signatures,
// TG3xx transfers, TG4xx Safe and admin, TG5xx EIP-7702, TG6xx hygiene,
// TG7xx the input addressing the model, TG8xx bytecode, TG9xx contract
// diffs, TG10xx what the user's node simulates (quiet without --rpc).
var registry = []Rule{
	{"TG101", "approve-unlimited", Danger, "An ERC-20 approve or increaseAllowance for an unlimited or very large amount.", approveUnlimited},
	{"TG102", "approve-unknown-spender", Danger, "An ERC-20 allowance to a spender that is neither well-known nor in the address book.", approveUnknownSpender},
	{"TG103", "approval-revoke", OK, "approve(spender, 0) or decreaseAllowance: a revoke, which is safe.", approvalRevoke},
	{"TG104", "nft-operator-approval", Danger, "setApprovalForAll(operator, true) on ERC-721 or ERC-1155, or an operator granted under another name (ERC-6909 setOperator/approve, ERC-777 authorizeOperator, Aave approveDelegation, approveAndCall): danger when the operator is unknown.", nftOperatorApproval},
	{"TG105", "permit2-onchain", Danger, "A Permit2 approve, permit or transferFrom call on-chain.", permit2Onchain},

	{"TG201", "erc2612-permit", Danger, "An EIP-2612 or DAI permit, signed or called on-chain.", erc2612Permit},
	{"TG202", "permit2-signature", Danger, "A Permit2 PermitSingle, PermitBatch, PermitTransferFrom, PermitBatchTransferFrom or PermitWitnessTransferFrom signature.", permit2Signature},
	{"TG203", "marketplace-order", Critical, "A Seaport order whose consideration to the offerer is near zero or goes to someone else.", marketplaceOrder},
	{"TG204", "transfer-authorization", Danger, "An EIP-3009 transferWithAuthorization or receiveWithAuthorization signature.", transferAuthorization},
	{"TG205", "blind-signing", Critical, "eth_sign of a raw 32-byte hash, or a Safe or account signing or approving one (SafeMessage, signMessage, approveHash): the signer cannot know what it authorizes.", blindSigning},
	{"TG206", "message-looks-like-data", Danger, "A personal_sign message that is hex, a hash or a transaction instead of text.", messageLooksLikeData},
	{"TG207", "siwe-suspicious", Danger, "A Sign-In with Ethereum message that is malformed, for another chain or account, whose URI is on another host than its domain, expired (danger) or not yet valid.", siweSuspicious},

	{"TG208", "order-proceeds-elsewhere", Danger, "A CoW Protocol, UniswapX or 1inch order whose proceeds go to an address that is neither its owner, the signer nor in the address book (an interface fee of at most 1% is info), or that pays back nothing (at most 1,000 base units).", orderProceeds},

	{"TG301", "address-poisoning", Critical, "A recipient that looks like an address-book entry (same first and last hex digits) but is not it.", addressPoisoning},
	{"TG302", "transfer-to-token-contract", Danger, "Tokens or ETH sent to a token contract, where they are usually lost.", transferToTokenContract},
	{"TG303", "transferfrom-not-signer", Caution, "transferFrom whose from is not the signer: it moves someone else's approved tokens.", transferFromNotSigner},
	{"TG304", "zero-value-transfer", Caution, "A token transfer of zero, the shape of address-poisoning spam.", zeroValueTransfer},
	{"TG305", "denylisted-address", Critical, "An address on the deny list appears in the input.", denylistedAddress},

	{"TG306", "transfer-to-burn", Danger, "Tokens, an NFT or ETH sent to the zero address or a burn address: gone, or the transaction fails.", transferToBurn},

	{"TG401", "safe-delegatecall", Critical, "A Safe transaction (or a smart account's ERC-7579 delegatecall) that DELEGATECALLs anything but MultiSendCallOnly, SignMessageLib or a known migration library.", safeDelegatecall},
	{"TG402", "safe-owner-change", Danger, "A Safe owner added, removed or swapped, or its threshold changed.", safeOwnerChange},
	{"TG403", "safe-module-guard", Danger, "A Safe module enabled, or its guard or fallback handler set.", safeModuleGuard},
	{"TG404", "safe-gas-refund", Danger, "A Safe transaction paying a gas refund in a token or to a third party.", safeGasRefund},
	{"TG405", "proxy-upgrade", Danger, "An upgrade or admin change of an upgradeable proxy.", proxyUpgrade},
	{"TG406", "ownership-transfer", Danger, "transferOwnership or renounceOwnership of a contract.", ownershipTransfer},

	{"TG407", "account-control-change", Danger, "A smart account (ERC-7579, Kernel, Coinbase, Light Account) gets a new owner, passkey, validator, executor or module (caution when a contact or a known contract), or runs calls valid on every chain.", accountControlChange},

	{"TG501", "delegation-any-chain", Critical, "An EIP-7702 authorization with chain id 0, valid on every chain.", delegationAnyChain},
	{"TG502", "delegation-unknown", Danger, "An EIP-7702 delegation to code that is neither a well-known delegate nor in the address book.", delegationUnknown},
	{"TG503", "delegation-multiple", Danger, "Several EIP-7702 authorizations in one transaction.", delegationMultiple},
	{"TG504", "delegation-invalid-signature", Caution, "An EIP-7702 authorization whose signature recovers no authority.", delegationInvalidSignature},

	{"TG601", "replayable-transaction", Danger, "A pre-EIP-155 legacy transaction: its signature is valid on every chain.", replayableTransaction},
	{"TG602", "chain-mismatch", Danger, "The input names another chain than --chain.", chainMismatch},
	{"TG603", "absurd-fees", Danger, "Fees far above a sane ceiling, or a priority fee above the max fee.", absurdFees},
	{"TG604", "contract-creation", Danger, "The transaction deploys a contract (caution); its constructor DELEGATECALLs, CALLCODEs or SELFDESTRUCTs (danger).", contractCreation},
	{"TG605", "value-with-token-call", Danger, "ETH sent along with a token call, which does not pay for it.", valueWithTokenCall},
	{"TG606", "invalid-transaction", Danger, "The transaction breaks a consensus rule and will never be included, or its signature recovers no sender.", invalidTransaction},
	{"TG607", "unknown-function", Caution, "A call whose function txguard cannot name, to a contract nobody labelled.", unknownFunction},
	{"TG608", "undecoded-call", Danger, "Calldata txguard could not read in full: nested too deep to check, past the decode budget (aliased offsets), truncated or malformed.", undecodedCall},

	{"TG609", "unread-signature", Danger, "Typed data no rule reads: danger when it carries calldata to execute, caution with addresses or amounts, info otherwise.", unreadSignature},
	{"TG610", "signer-mismatch", Danger, "The input is signed by, or asks to be signed by, another account than --from.", signerMismatch},

	{"TG701", "instruction-like-text", Danger, "Text in the input that addresses an AI reviewer or forges chat roles: an attempt to steer the review.", instructionLikeText},

	{"TG801", "code-selfdestruct", Critical, "SELFDESTRUCT in the code: caution; danger when the beneficiary comes from calldata or the code is a 7702 delegate, critical when both.", codeSelfdestruct},
	{"TG802", "code-delegatecall", Critical, "DELEGATECALL to an address from calldata (danger; critical as a 7702 delegate), from a storage slot that is no proxy's (caution; danger as a delegate) or one the analysis cannot trace (caution; danger as a delegate).", codeDelegatecall},
	{"TG803", "code-callcode", Critical, "CALLCODE, the deprecated DELEGATECALL: graded like TG802 by where its address comes from, caution at least.", codeCallcode},
	{"TG804", "code-creates", Info, "CREATE or CREATE2 in the code: it deploys contracts.", codeCreates},
	{"TG805", "code-tx-origin", Caution, "ORIGIN (tx.origin) in the code, the phishable way to authorize.", codeOpcode("ORIGIN", Caution, "tx.origin in the code",
		"reads tx.origin. If it authorizes with it, any contract you interact with can act as you towards it.", "Check what it uses tx.origin for.")},
	{"TG806", "code-proxy", Danger, "The code is a proxy: upgradeable (caution; danger as a 7702 delegate), to a fixed implementation (info), or an account's EIP-7702 delegation (info; caution as a delegate, which 7702 does not follow).", codeUpgradeable},
	{"TG807", "code-addresses", Info, "Addresses written into the code.", codeAddresses},

	{"TG901", "storage-layout-changed", Danger, "A state variable inserted, removed, reordered or retyped, or the bases reordered: an upgrade would read every later slot wrong.", diffChanges},
	{"TG902", "guard-removed", Danger, "A modifier (access control, pause, reentrancy guard) no longer applied to a function, a modifier's or auth hook's own checks weakened, or an auth hook (_checkOwner, _authorizeUpgrade…) overridden; from the compiler's facts, a caller check removed, on some paths only or letting more through, a requirement dropped from a path that moves value, or a signature no longer spent (replayable) (danger; elsewhere info).", diffChanges},
	{"TG903", "visibility-widened", Danger, "An internal or private function made public or external.", diffChanges},
	{"TG904", "delegatecall-added", Danger, "New DELEGATECALL or CALLCODE in a function.", diffChanges},
	{"TG905", "selfdestruct-added", Danger, "New SELFDESTRUCT in a function.", diffChanges},
	{"TG906", "tx-origin-added", Caution, "New use of tx.origin in a function.", diffChanges},
	{"TG907", "low-level-code-added", Caution, "New inline assembly, low-level call or CREATE2 (caution), or unchecked arithmetic (info), in a function.", diffChanges},
	{"TG908", "function-added", Info, "A new public or external function, or a new contract.", diffChanges},
	{"TG909", "function-removed", Info, "A public or external function, or a contract, removed.", diffChanges},
	{"TG910", "compiler-changed", Info, "The compiler version changed: the pragma, or the compiler the bytecode's metadata records.", diffChanges},
	{"TG911", "diff-not-audited", Danger, "A changed file the audit could not read (danger), or a diff seen only hunk by hunk (info).", diffUnread},
	{"TG912", "import-swapped", Danger, "An import replaced by another file of the same name (caution), one the change adds (danger).", diffChanges},
	{"TG913", "value-newly-reachable", Danger, "From the compiler's call graph: an entry point that now reaches minting, approving, sending ETH or tokens to a named or hard-coded party, DELEGATECALL, SELFDESTRUCT, a proxy slot or an ownership/role change with no caller check on the way (danger); in a new contract (caution); behind a caller check (info).", diffChanges},
	{"TG914", "value-changed", Danger, "From the compiler's facts: a constant, immutable or literal value changed, a new hard-coded address in the code, or a new narrowing conversion that drops high bits unchecked (danger); only new values in the code (caution).", diffChanges},
	{"TG915", "initializer-unprotected", Danger, "An initializer that lost its initializer/reinitializer guard, or an implementation that no longer disables initializers.", diffChanges},
	{"TG916", "auth-hook-overridden", Danger, "An authorization hook or a view others trust for value now runs another contract's implementation (an override that only calls super does not count): one that decides who passes or how much (_checkOwner, _checkRole, hasRole, owner, isTrustedForwarder, _isAuthorized, allowance, isApprovedForAll, balanceOf, quorum…), danger; another (_msgSender, _authorizeUpgrade…), caution.", diffChanges},
	{"TG917", "transfer-gate-added", Danger, "Transfers now revert on state an account can set: a freeze or blocklist power.", diffChanges},
	{"TG918", "workflow-edited", Caution, "The change edits a CI workflow (or action) file: the configuration of the check itself.", diffWorkflows},
	{"TG919", "reentrancy-order", Danger, "From the compiler's facts: a function that updated a state variable only before its external calls now updates it after one, with no reentrancy lock on it and on the other entry points that write it.", diffChanges},
	{"TG921", "code-functions-changed", Info, "Bytecode whose public functions (selectors) were added or removed, or code added or removed.", diffChanges},
	{"TG922", "code-concern-added", Danger, "Bytecode with more SELFDESTRUCT, DELEGATECALL or CALLCODE than before.", diffChanges},
	{"TG923", "code-proxy-changed", Caution, "Bytecode whose proxy pattern or fixed proxy target changed.", diffChanges},

	{"TG1001", "sim-assets-leave", Critical, "Simulated on your node: assets leave the account for an address that is neither it, a contact nor a well-known protocol (a token contract, Multicall3 and Permit2 do not count), and nothing of value comes back: danger, critical at half or more of what it held; caution when only an unlisted token or NFT comes back (danger at half). Dust, and tokens \"from\" the contract the assets went to, are nothing. Transfers the input names are the TG3xx rules' to judge.", assetsLeave},
	{"TG1002", "sim-hidden-approval", Critical, "Simulated on your node: an allowance or operator approval over the account's assets that no decoded call shows.", hiddenApproval},
	{"TG1003", "sim-reverts", Caution, "Simulated on your node: the transaction, or a call of the batch, reverts; the fee is paid for nothing.", simReverts},
	{"TG1004", "sim-contradicts-intent", Danger, "Simulated on your node: a swap that returns nothing, or effects that contradict --intent (nothing back, or more ETH than it names).", simContradicts},
	{"TG1005", "node-wrong-chain", Caution, "The node given with --rpc is on another chain than the input: not simulated.", nodeChain},
	{"TG1006", "nonce-gap", Caution, "The transaction's nonce is used already, or leaves a gap before it (read from the node).", nonceGap},
	{"TG1007", "insufficient-funds", Caution, "The account cannot pay the value plus the most the fee may cost (read from the node).", shortFunds},
	{"TG1008", "call-to-account", Caution, "Calldata sent to an address with no code on the node's chain: nothing runs.", callToAccount},
	{"TG1009", "signature-exposure", Info, "What a permit, Permit2 signature, order or transfer authorization can take today: the signer's balance and allowance, read from the node.", exposure},
	{"TG1010", "sim-unreadable", Danger, "Simulated on your node: the input makes the node's answer too large to read (a flood of logs, more than 4 MiB): what it does there is hidden.", unreadable},
}
