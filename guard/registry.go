package guard

// registry is the one table of rules, in ID order. IDs are stable: a rule
// that changes meaning gets a new ID. TG1xx approvals, TG2xx signatures,
// TG3xx transfers, TG4xx Safe and admin, TG5xx EIP-7702, TG6xx hygiene,
// TG7xx the input addressing the model.
var registry = []Rule{
	{"TG101", "approve-unlimited", Danger, "An ERC-20 approve or increaseAllowance for an unlimited or very large amount.", approveUnlimited},
	{"TG102", "approve-unknown-spender", Danger, "An ERC-20 allowance to a spender that is neither well-known nor in the address book.", approveUnknownSpender},
	{"TG103", "approval-revoke", OK, "approve(spender, 0) or decreaseAllowance: a revoke, which is safe.", approvalRevoke},
	{"TG104", "nft-operator-approval", Danger, "setApprovalForAll(operator, true): the operator may move every NFT of the collection.", nftOperatorApproval},
	{"TG105", "permit2-onchain", Danger, "A Permit2 approve, permit or transferFrom call on-chain.", permit2Onchain},

	{"TG201", "erc2612-permit", Danger, "An EIP-2612 or DAI permit, signed or called on-chain.", erc2612Permit},
	{"TG202", "permit2-signature", Danger, "A Permit2 PermitSingle, PermitBatch, PermitTransferFrom, PermitBatchTransferFrom or PermitWitnessTransferFrom signature.", permit2Signature},
	{"TG203", "marketplace-order", Critical, "A Seaport order whose consideration to the offerer is near zero or goes to someone else.", marketplaceOrder},
	{"TG204", "transfer-authorization", Danger, "An EIP-3009 transferWithAuthorization or receiveWithAuthorization signature.", transferAuthorization},
	{"TG205", "blind-signing", Critical, "eth_sign of a raw 32-byte hash: the signer cannot know what it authorizes.", blindSigning},
	{"TG206", "message-looks-like-data", Danger, "A personal_sign message that is hex, a hash or a transaction instead of text.", messageLooksLikeData},
	{"TG207", "siwe-suspicious", Danger, "A Sign-In with Ethereum message that is malformed, for another chain, expired or not yet valid.", siweSuspicious},

	{"TG301", "address-poisoning", Critical, "A recipient that looks like an address-book entry (same first and last hex digits) but is not it.", addressPoisoning},
	{"TG302", "transfer-to-token-contract", Danger, "Tokens or ETH sent to a token contract, where they are usually lost.", transferToTokenContract},
	{"TG303", "transferfrom-not-signer", Caution, "transferFrom whose from is not the signer: it moves someone else's approved tokens.", transferFromNotSigner},
	{"TG304", "zero-value-transfer", Caution, "A token transfer of zero, the shape of address-poisoning spam.", zeroValueTransfer},
	{"TG305", "denylisted-address", Critical, "An address on the deny list appears in the input.", denylistedAddress},

	{"TG401", "safe-delegatecall", Critical, "A Safe transaction that DELEGATECALLs anything but MultiSendCallOnly, SignMessageLib or a known migration library.", safeDelegatecall},
	{"TG402", "safe-owner-change", Danger, "A Safe owner added, removed or swapped, or its threshold changed.", safeOwnerChange},
	{"TG403", "safe-module-guard", Danger, "A Safe module enabled, or its guard or fallback handler set.", safeModuleGuard},
	{"TG404", "safe-gas-refund", Danger, "A Safe transaction paying a gas refund in a token or to a third party.", safeGasRefund},
	{"TG405", "proxy-upgrade", Danger, "An upgrade or admin change of an upgradeable proxy.", proxyUpgrade},
	{"TG406", "ownership-transfer", Danger, "transferOwnership or renounceOwnership of a contract.", ownershipTransfer},

	{"TG501", "delegation-any-chain", Critical, "An EIP-7702 authorization with chain id 0, valid on every chain.", delegationAnyChain},
	{"TG502", "delegation-unknown", Danger, "An EIP-7702 delegation to code that is neither a well-known delegate nor in the address book.", delegationUnknown},
	{"TG503", "delegation-multiple", Danger, "Several EIP-7702 authorizations in one transaction.", delegationMultiple},
	{"TG504", "delegation-invalid-signature", Caution, "An EIP-7702 authorization whose signature recovers no authority.", delegationInvalidSignature},

	{"TG601", "replayable-transaction", Danger, "A pre-EIP-155 legacy transaction: its signature is valid on every chain.", replayableTransaction},
	{"TG602", "chain-mismatch", Danger, "The input names another chain than --chain.", chainMismatch},
	{"TG603", "absurd-fees", Danger, "Fees far above a sane ceiling, or a priority fee above the max fee.", absurdFees},
	{"TG604", "contract-creation", Caution, "The transaction deploys a contract.", contractCreation},
	{"TG605", "value-with-token-call", Danger, "ETH sent along with a token call, which does not pay for it.", valueWithTokenCall},
	{"TG606", "invalid-transaction", Danger, "The transaction breaks a consensus rule and will never be included, or its signature recovers no sender.", invalidTransaction},
	{"TG607", "unknown-function", Caution, "A call whose function txguard cannot name, to a contract nobody labelled.", unknownFunction},
	{"TG608", "undecoded-call", Danger, "Calldata txguard could not read in full: nested too deep to check, truncated or malformed.", undecodedCall},

	{"TG701", "instruction-like-text", Danger, "Text in the input that addresses an AI reviewer or forges chat roles: an attempt to steer the review.", instructionLikeText},
}
