"""发票 (VAT invoices) for customers who ask (issue 19.4): requests at the till or afterwards,
the tax platform's bulk-issue file, and the invoice numbers it gives back."""
