// Package finvoice writes an invoice or a credit note as a Finvoice 3.0
// message (SPEC 4.3): the XML e-invoice Finnish banks and e-invoice operators
// exchange, which Finnish public buyers usually require. It carries the same
// numbers as the printed invoice (report/invoice.go), including the
// reference and the virtual barcode, and is valid against Finvoice3.0.xsd
// (no namespace; element order fixed by the schema; decimal commas).
//
// Marshal writes, in the schema's order:
//   - MessageTransmissionDetails: sender and receiver e-invoice addresses and
//     operators, the invoice number as MessageIdentifier, the run's time. The
//     element is optional and written only when both parties have an
//     e-invoice address and an operator; a buyer without one gets the message
//     as an attachment, without routing.
//   - SellerPartyDetails (Business ID, name, unit as one or two departments,
//     VAT number, address), the seller's e-invoice address as
//     SellerOrganisationUnitNumber, contact, phone and email, the IBAN and
//     BIC; BuyerPartyDetails likewise.
//   - InvoiceDetails: INV01/380 or INV02/381, the type text in the payer's
//     language (LASKU, FAKTURA, INVOICE; HYVITYSLASKU, KREDITFAKTURA, CREDIT
//     NOTE), number and date, the credited invoice's number and date, the
//     billing period, the buyer's reference, the totals, one
//     VatSpecificationDetails per VAT rate (code S for a positive rate, O,
//     outside the scope of VAT, for 0 % with the ground as free text), the
//     service and, on a credit note, what it credits and why as free text,
//     the payment terms, due date and penalty interest (invoices).
//   - VirtualBankBarcode (invoices with a barcode), one InvoiceRow per line,
//     and EpiDetails: the bank, beneficiary and account, the national
//     reference ("SPY"), the amount and the due date.
//
// Check reports every field that cannot be written, all at once; Marshal
// calls it first. A short sample:
//
//	<?xml version="1.0" encoding="UTF-8"?>
//	<Finvoice Version="3.0">
//	  <SellerPartyDetails>
//	    <SellerPartyIdentifier>2617416-4</SellerPartyIdentifier>
//	    <SellerOrganisationName>Esimerkkikaupunki</SellerOrganisationName>
//	    ...
//	  <InvoiceDetails>
//	    <InvoiceTypeCode>INV01</InvoiceTypeCode>
//	    <InvoiceTypeCodeUN>380</InvoiceTypeCodeUN>
//	    <InvoiceTypeText>LASKU</InvoiceTypeText>
//	    <OriginCode>Original</OriginCode>
//	    <InvoiceNumber>VSA-2021-000025</InvoiceNumber>
//	    <InvoiceDate Format="CCYYMMDD">20210201</InvoiceDate>
//	    ...
//	    <InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">9853,83</InvoiceTotalVatIncludedAmount>
//	    <VatSpecificationDetails>
//	      <VatBaseAmount AmountCurrencyIdentifier="EUR">9853,83</VatBaseAmount>
//	      <VatRatePercent>0</VatRatePercent>
//	      <VatCode>O</VatCode>
//	      <VatRateAmount AmountCurrencyIdentifier="EUR">0,00</VatRateAmount>
//	      <VatFreeText>Ei ALV:tä: kuntien välinen yhteistoiminta (KHO:2009:42)</VatFreeText>
//	      ...
//	  <VirtualBankBarcode>421123456000007850098538300000000000120210000259210215</VirtualBankBarcode>
//	  <InvoiceRow>
//	    <ArticleName>Väestömäärään perustuva osuus 1.1.–31.1.2021</ArticleName>
//	    <InvoicedQuantity QuantityUnitCode="erä" QuantityUnitCodeUN="LO">1</InvoicedQuantity>
//	    ...
//	  <EpiDetails>
//	    ...
//	      <EpiRemittanceInfoIdentifier IdentificationSchemeName="SPY">120210000259</EpiRemittanceInfoIdentifier>
//	      <EpiInstructedAmount AmountCurrencyIdentifier="EUR">9853,83</EpiInstructedAmount>
//	      <EpiCharge ChargeOption="SHA">SHA</EpiCharge>
//	      <EpiDateOptionDate Format="CCYYMMDD">20210215</EpiDateOptionDate>
//	    ...
//	</Finvoice>
//
// The full messages are under testdata/. Texts come from templates; amounts
// are written as the schema wants them ("1835,94"), never in the locale's
// format.
package finvoice
