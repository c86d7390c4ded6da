package finvoice

import "encoding/xml"

// The element structs below follow Finvoice3.0.xsd: field order is the
// schema's xs:sequence order, which encoding/xml keeps. Only the elements
// kuntalasku writes are declared; optional ones are pointers or omitempty.

// message is the root element. It has no namespace.
type message struct {
	XMLName          xml.Name          `xml:"Finvoice"`
	Version          string            `xml:"Version,attr"`
	Transmission     *transmission     `xml:"MessageTransmissionDetails,omitempty"`
	Seller           sellerParty       `xml:"SellerPartyDetails"`
	SellerUnitNumber string            `xml:"SellerOrganisationUnitNumber,omitempty"`
	SellerContact    string            `xml:"SellerContactPersonName,omitempty"`
	SellerComm       *sellerComm       `xml:"SellerCommunicationDetails,omitempty"`
	SellerInfo       sellerInformation `xml:"SellerInformationDetails"`
	Buyer            buyerParty        `xml:"BuyerPartyDetails"`
	BuyerUnitNumber  string            `xml:"BuyerOrganisationUnitNumber,omitempty"`
	BuyerContact     string            `xml:"BuyerContactPersonName,omitempty"`
	BuyerComm        *buyerComm        `xml:"BuyerCommunicationDetails,omitempty"`
	Details          invoiceDetails    `xml:"InvoiceDetails"`
	VirtualBarcode   string            `xml:"VirtualBankBarcode,omitempty"`
	Rows             []invoiceRow      `xml:"InvoiceRow"`
	Epi              epiDetails        `xml:"EpiDetails"`
}

type transmission struct {
	Sender   sender         `xml:"MessageSenderDetails"`
	Receiver receiver       `xml:"MessageReceiverDetails"`
	Details  messageDetails `xml:"MessageDetails"`
}

type sender struct {
	From          electronicAddr `xml:"FromIdentifier"`
	Intermediator string         `xml:"FromIntermediator"`
}

type receiver struct {
	To            electronicAddr `xml:"ToIdentifier"`
	Intermediator string         `xml:"ToIntermediator"`
}

type messageDetails struct {
	Identifier string `xml:"MessageIdentifier"`
	TimeStamp  string `xml:"MessageTimeStamp"`
}

// electronicAddr is an e-invoice address; SchemeID "0216" marks an OVT code.
type electronicAddr struct {
	SchemeID string `xml:"SchemeID,attr,omitempty"`
	Value    string `xml:",chardata"`
}

type sellerParty struct {
	Identifier  string         `xml:"SellerPartyIdentifier,omitempty"`
	Name        string         `xml:"SellerOrganisationName"`
	Departments []string       `xml:"SellerOrganisationDepartment,omitempty"`
	TaxCode     string         `xml:"SellerOrganisationTaxCode,omitempty"`
	Address     *sellerAddress `xml:"SellerPostalAddressDetails,omitempty"`
}

type sellerAddress struct {
	Street   string `xml:"SellerStreetName"`
	Town     string `xml:"SellerTownName"`
	PostCode string `xml:"SellerPostCodeIdentifier"`
	Country  string `xml:"CountryCode"`
}

type sellerComm struct {
	Phone string `xml:"SellerPhoneNumberIdentifier,omitempty"`
	Email string `xml:"SellerEmailaddressIdentifier,omitempty"`
}

type sellerInformation struct {
	Account sellerAccount `xml:"SellerAccountDetails"`
}

type sellerAccount struct {
	ID  scheme `xml:"SellerAccountID"` // IBAN
	BIC scheme `xml:"SellerBic"`       // BIC
}

// scheme is a value with an IdentificationSchemeName: IBAN, BIC, SPY.
type scheme struct {
	Name  string `xml:"IdentificationSchemeName,attr"`
	Value string `xml:",chardata"`
}

type buyerParty struct {
	Identifier  string        `xml:"BuyerPartyIdentifier,omitempty"`
	Name        string        `xml:"BuyerOrganisationName"`
	Departments []string      `xml:"BuyerOrganisationDepartment,omitempty"`
	TaxCode     string        `xml:"BuyerOrganisationTaxCode,omitempty"`
	Address     *buyerAddress `xml:"BuyerPostalAddressDetails,omitempty"`
}

type buyerAddress struct {
	Street   string `xml:"BuyerStreetName"`
	Town     string `xml:"BuyerTownName"`
	PostCode string `xml:"BuyerPostCodeIdentifier"`
	Country  string `xml:"CountryCode"`
}

type buyerComm struct {
	Phone string `xml:"BuyerPhoneNumberIdentifier,omitempty"`
	Email string `xml:"BuyerEmailaddressIdentifier,omitempty"`
}

type invoiceDetails struct {
	TypeCode       string        `xml:"InvoiceTypeCode"`
	TypeCodeUN     string        `xml:"InvoiceTypeCodeUN"`
	TypeText       string        `xml:"InvoiceTypeText"`
	OriginCode     string        `xml:"OriginCode"`
	Number         string        `xml:"InvoiceNumber"`
	Date           dateValue     `xml:"InvoiceDate"`
	OriginalNumber string        `xml:"OriginalInvoiceNumber,omitempty"`
	OriginalDate   *dateValue    `xml:"OriginalInvoiceDate,omitempty"`
	PeriodStart    *dateValue    `xml:"InvoicingPeriodStartDate,omitempty"`
	PeriodEnd      *dateValue    `xml:"InvoicingPeriodEndDate,omitempty"`
	BuyerReference string        `xml:"BuyerReferenceIdentifier,omitempty"`
	RowsNet        money         `xml:"RowsTotalVatExcludedAmount"`
	Net            money         `xml:"InvoiceTotalVatExcludedAmount"`
	VAT            money         `xml:"InvoiceTotalVatAmount"`
	Total          money         `xml:"InvoiceTotalVatIncludedAmount"`
	VATRows        []vatRow      `xml:"VatSpecificationDetails"`
	FreeText       []string      `xml:"InvoiceFreeText"`
	Terms          *paymentTerms `xml:"PaymentTermsDetails,omitempty"`
}

// dateValue is a date with the schema's only format, CCYYMMDD.
type dateValue struct {
	Format string `xml:"Format,attr"`
	Value  string `xml:",chardata"`
}

// money is an amount in euros with a decimal comma.
type money struct {
	Currency string `xml:"AmountCurrencyIdentifier,attr"`
	Value    string `xml:",chardata"`
}

type vatRow struct {
	Base            money  `xml:"VatBaseAmount"`
	Rate            string `xml:"VatRatePercent"`
	Code            string `xml:"VatCode"`
	VAT             money  `xml:"VatRateAmount"`
	FreeText        string `xml:"VatFreeText,omitempty"`
	ExemptionReason string `xml:"VatExemptionReasonCode,omitempty"`
}

type paymentTerms struct {
	FreeText string       `xml:"PaymentTermsFreeText,omitempty"`
	DueDate  *dateValue   `xml:"InvoiceDueDate,omitempty"`
	Fine     *overdueFine `xml:"PaymentOverDueFineDetails,omitempty"`
}

type overdueFine struct {
	FreeText string `xml:"PaymentOverDueFineFreeText"`
}

type invoiceRow struct {
	ArticleName string    `xml:"ArticleName"`
	Quantity    quantity  `xml:"InvoicedQuantity"`
	UnitPrice   unitPrice `xml:"UnitPriceAmount"`
	Position    string    `xml:"RowPositionIdentifier"`
	FreeText    string    `xml:"RowFreeText,omitempty"`
	VATRate     string    `xml:"RowVatRatePercent"`
	VATCode     string    `xml:"RowVatCode"`
	VAT         money     `xml:"RowVatAmount"`
	Net         money     `xml:"RowVatExcludedAmount"`
	Amount      money     `xml:"RowAmount"`
}

type quantity struct {
	UnitCode   string `xml:"QuantityUnitCode,attr"`
	UnitCodeUN string `xml:"QuantityUnitCodeUN,attr"`
	Value      string `xml:",chardata"`
}

type unitPrice struct {
	Currency   string `xml:"AmountCurrencyIdentifier,attr"`
	UnitCode   string `xml:"UnitPriceUnitCode,attr"`
	UnitCodeUN string `xml:"QuantityUnitCodeUN,attr"`
	Value      string `xml:",chardata"`
}

type epiDetails struct {
	Identification epiIdentification `xml:"EpiIdentificationDetails"`
	Party          epiParty          `xml:"EpiPartyDetails"`
	Instruction    epiInstruction    `xml:"EpiPaymentInstructionDetails"`
}

type epiIdentification struct {
	Date      dateValue `xml:"EpiDate"`
	Reference string    `xml:"EpiReference"`
}

type epiParty struct {
	Bank        epiBank        `xml:"EpiBfiPartyDetails"`
	Beneficiary epiBeneficiary `xml:"EpiBeneficiaryPartyDetails"`
}

type epiBank struct {
	BIC scheme `xml:"EpiBfiIdentifier"`
}

type epiBeneficiary struct {
	Name    string `xml:"EpiNameAddressDetails"`
	Account scheme `xml:"EpiAccountID"`
}

type epiInstruction struct {
	Remittance scheme    `xml:"EpiRemittanceInfoIdentifier"`
	Amount     money     `xml:"EpiInstructedAmount"`
	Charge     epiCharge `xml:"EpiCharge"`
	Date       dateValue `xml:"EpiDateOptionDate"`
}

type epiCharge struct {
	Option string `xml:"ChargeOption,attr"`
	Value  string `xml:",chardata"`
}
