package guard

func approveUnlimited(c *Context, r *Rule) []Finding { return nil }

func approveUnknownSpender(c *Context, r *Rule) []Finding { return nil }

func approvalRevoke(c *Context, r *Rule) []Finding { return nil }

func nftOperatorApproval(c *Context, r *Rule) []Finding { return nil }

func permit2Onchain(c *Context, r *Rule) []Finding { return nil }
