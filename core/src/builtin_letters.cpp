// The built-in letter templates. The validation notice follows CFPB Model Form B-1 (12 CFR 1006
// appendix B) section by section: collector header, "To:" block, reference, the bold
// §1006.18(e) statement, "Our information shows:" with the itemization, "How can you dispute the
// debt?", "What else can you do?", the Spanish request line (§1006.34(d)(3)(vi)), the reverse-
// side notice, and the tear-off "How do you want to respond?" form. The Spanish notice is our
// own complete translation of the same content (it omits the request-for-Spanish lines, as the
// CFPB's Spanish model does).
#include "arrears/builtin_letters.hpp"

#include <tuple>

#include "arrears/error.hpp"

namespace arrears {

namespace {

// ---- shared partials ------------------------------------------------------------------------

constexpr const char* kHtmlLetterheadEn = R"(<header class="letterhead">
<div class="sender">
<p class="sender-name">{{collector.name}}</p>
<p>{{#collector.address_lines}}{{.}}<br>{{/collector.address_lines}}{{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}}{{#collector.website}}<br>{{collector.website}}{{/collector.website}}</p>
</div>
<p class="letter-date">{{letter_date}}</p>
</header>
<div class="recipient">
<span class="label">To:</span>
<p>{{recipient.name}}<br>{{#recipient.address_lines}}{{.}}<br>{{/recipient.address_lines}}</p>
</div>
<p class="reference">Reference: {{reference}}</p>
)";

constexpr const char* kHtmlLetterheadEs = R"(<header class="letterhead">
<div class="sender">
<p class="sender-name">{{collector.name}}</p>
<p>{{#collector.address_lines}}{{.}}<br>{{/collector.address_lines}}{{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}}{{#collector.website}}<br>{{collector.website}}{{/collector.website}}</p>
</div>
<p class="letter-date">{{letter_date}}</p>
</header>
<div class="recipient">
<span class="label">Para:</span>
<p>{{recipient.name}}<br>{{#recipient.address_lines}}{{.}}<br>{{/recipient.address_lines}}</p>
</div>
<p class="reference">Referencia: {{reference}}</p>
)";

constexpr const char* kHtmlClosingEn = R"(<p class="closing">Sincerely,<br>{{collector.name}}<br>{{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}}</p>
)";
constexpr const char* kHtmlClosingEs = R"(<p class="closing">Atentamente,<br>{{collector.name}}<br>{{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}}</p>
)";

constexpr const char* kHtmlDisclosure = R"(<p class="disclosure"><strong>{{disclosure}}</strong></p>
)";

constexpr const char* kHtmlStateEn = R"({{#has_notices}}
<section class="notices">
<h2>Important information</h2>
{{#notices}}
<p>{{.}}</p>
{{/notices}}
</section>
{{/has_notices}}
)";
constexpr const char* kHtmlStateEs = R"({{#has_notices}}
<section class="notices">
<h2>Información importante</h2>
{{#notices}}
<p>{{.}}</p>
{{/notices}}
</section>
{{/has_notices}}
)";

constexpr const char* kHtmlEmailFooter = R"({{#is_email}}
<p class="opt-out">{{email_opt_out}}</p>
{{/is_email}}
)";

constexpr const char* kHtmlHowToPayEn = R"(<p>To pay, call us at {{collector.phone}}{{#collector.website}}, visit {{collector.website}}{{/collector.website}} or mail a check payable to {{collector.payable_to}} to {{collector.address_inline}}. Please include the reference number {{reference}}.</p>
)";
constexpr const char* kHtmlHowToPayEs = R"(<p>Para pagar, llámenos al {{collector.phone}}{{#collector.website}}, visite {{collector.website}}{{/collector.website}} o envíe por correo un cheque pagadero a {{collector.payable_to}} a {{collector.address_inline}}. Incluya el número de referencia {{reference}}.</p>
)";

constexpr const char* kHtmlAccountEn =
    R"(your account with {{account.creditor}}{{#account.number}} (account number {{account.number}}){{/account.number}})";
constexpr const char* kHtmlAccountEs =
    R"(su cuenta con {{account.creditor}}{{#account.number}} (número de cuenta {{account.number}}){{/account.number}})";

constexpr const char* kTextLetterheadEn = R"({{collector.name}}
{{#collector.address_lines}}
{{.}}
{{/collector.address_lines}}
{{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}}
{{#collector.website}}
{{collector.website}}
{{/collector.website}}

{{letter_date}}

To: {{recipient.name}}
{{#recipient.address_lines}}
    {{.}}
{{/recipient.address_lines}}

Reference: {{reference}}
)";
constexpr const char* kTextLetterheadEs = R"({{collector.name}}
{{#collector.address_lines}}
{{.}}
{{/collector.address_lines}}
{{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}}
{{#collector.website}}
{{collector.website}}
{{/collector.website}}

{{letter_date}}

Para: {{recipient.name}}
{{#recipient.address_lines}}
      {{.}}
{{/recipient.address_lines}}

Referencia: {{reference}}
)";
constexpr const char* kTextClosingEn = R"(Sincerely,
{{collector.name}}
{{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}}
)";
constexpr const char* kTextClosingEs = R"(Atentamente,
{{collector.name}}
{{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}}
)";
constexpr const char* kTextDisclosure = R"({{disclosure}}
)";
constexpr const char* kTextStateEn = R"({{#has_notices}}

IMPORTANT INFORMATION
{{#notices}}

{{.}}
{{/notices}}
{{/has_notices}}
)";
constexpr const char* kTextStateEs = R"({{#has_notices}}

INFORMACIÓN IMPORTANTE
{{#notices}}

{{.}}
{{/notices}}
{{/has_notices}}
)";
constexpr const char* kTextEmailFooter = R"({{#is_email}}

{{email_opt_out}}
{{/is_email}}
)";
constexpr const char* kTextHowToPayEn = R"(To pay, call us at {{collector.phone}}{{#collector.website}}, visit {{collector.website}}{{/collector.website}} or mail a check payable to {{collector.payable_to}} to {{collector.address_inline}}. Please include the reference number {{reference}}.
)";
constexpr const char* kTextHowToPayEs = R"(Para pagar, llámenos al {{collector.phone}}{{#collector.website}}, visite {{collector.website}}{{/collector.website}} o envíe por correo un cheque pagadero a {{collector.payable_to}} a {{collector.address_inline}}. Incluya el número de referencia {{reference}}.
)";

// ---- validation notice (Model Form B-1) ---------------------------------------------------------

constexpr const char* kValidationHtmlEn = R"(<article class="letter validation-notice" lang="en">
{{>letterhead}}
<p class="lead"><strong>{{disclosure}}</strong></p>
<section class="debt">
<h2>Our information shows:</h2>
<p>You had {{#account.product}}{{account.product_phrase}}{{/account.product}}{{^account.product}}an account{{/account.product}} from {{account.original_creditor}}{{#account.number}} with account number {{account.number}}{{/account.number}}.</p>
<table class="itemization">
<tr><td>As of {{itemization.date}}, you owed:</td><td class="amount">{{itemization.amount}}</td></tr>
<tr><td colspan="2">Between {{itemization.date}} and today:</td></tr>
<tr><td class="indent">You were charged this amount in interest:</td><td class="amount">+ {{itemization.interest}}</td></tr>
<tr><td class="indent">You were charged this amount in fees:</td><td class="amount">+ {{itemization.fees}}</td></tr>
<tr><td class="indent">You paid or were credited this amount toward the debt:</td><td class="amount">– {{itemization.payments_credits}}</td></tr>
<tr class="total"><td>Total amount of the debt now:</td><td class="amount">{{itemization.current}}</td></tr>
</table>
</section>
<section class="rights">
<h2>How can you dispute the debt?</h2>
<ul>
<li><strong>Call or write to us by {{validation.end_date}}, to dispute all or part of the debt.</strong> If you do not, we will assume that our information is correct.</li>
<li><strong>If you write to us by {{validation.end_date}}</strong>, we must stop collection on any amount you dispute until we send you information that shows you owe the debt. You may use the form below or write to us without the form. You may also include supporting documents.{{#collector.dispute_url}} We accept disputes electronically at {{collector.dispute_url}}.{{/collector.dispute_url}}</li>
</ul>
<h2>What else can you do?</h2>
<ul>
<li><strong>Write to ask for the name and address of the original creditor, if different from the current creditor.</strong> If you write by {{validation.end_date}}, we must stop collection until we send you that information. You may use the form below or write to us without the form.{{#collector.original_creditor_url}} We accept such requests electronically at {{collector.original_creditor_url}}.{{/collector.original_creditor_url}}</li>
<li><strong>Go to {{cfpb_url}}</strong> to learn more about your rights under federal law. For instance, you have the right to stop or limit how we contact you.</li>
<li><strong>Contact us about your payment options.</strong></li>
{{#spanish_disclosures}}
<li lang="es"><strong>Póngase en contacto con nosotros para solicitar una copia de este formulario en español.</strong></li>
{{/spanish_disclosures}}
</ul>
{{#has_notices}}
<p class="see-reverse">Notice: See reverse side for important information.</p>
{{/has_notices}}
</section>
{{>e_mail_footer}}
<section class="response-form">
<p class="cut">✂ - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -</p>
<h2>How do you want to respond?</h2>
<div class="form-addresses">
<div class="mail-to"><span class="label">Mail this form to:</span><br>{{collector.name}}<br>{{#collector.address_lines}}{{.}}<br>{{/collector.address_lines}}</div>
<div class="form-from">{{recipient.name}}<br>{{#recipient.address_lines}}{{.}}<br>{{/recipient.address_lines}}</div>
</div>
<p>Check all that apply:</p>
<ul class="checks">
<li>☐ I want to dispute the debt because I think:
<ul>
<li>☐ This is not my debt.</li>
<li>☐ The amount is wrong.</li>
<li>☐ Other (please describe on reverse or attach additional information).</li>
</ul>
</li>
<li>☐ I want you to send me the name and address of the original creditor.</li>
<li>☐ I enclosed this amount: $ ______________<br><span class="small">Make your check payable to {{collector.payable_to}}. Include the reference number {{reference}}.</span></li>
{{#spanish_disclosures}}
<li lang="es">☐ Quiero este formulario en español.</li>
{{/spanish_disclosures}}
</ul>
</section>
{{>state_disclosures}}
</article>
)";

constexpr const char* kValidationHtmlEs = R"(<article class="letter validation-notice" lang="es">
{{>letterhead}}
<p class="lead"><strong>{{disclosure}}</strong></p>
<section class="debt">
<h2>Nuestra información indica:</h2>
<p>Usted tenía {{#account.product}}{{account.product}}{{/account.product}}{{^account.product}}una cuenta{{/account.product}} de {{account.original_creditor}}{{#account.number}} con el número de cuenta {{account.number}}{{/account.number}}.</p>
<table class="itemization">
<tr><td>Al {{itemization.date}}, usted debía:</td><td class="amount">{{itemization.amount}}</td></tr>
<tr><td colspan="2">Entre el {{itemization.date}} y hoy:</td></tr>
<tr><td class="indent">Se le cobró esta cantidad en intereses:</td><td class="amount">+ {{itemization.interest}}</td></tr>
<tr><td class="indent">Se le cobró esta cantidad en cargos:</td><td class="amount">+ {{itemization.fees}}</td></tr>
<tr><td class="indent">Usted pagó o se le acreditó esta cantidad a la deuda:</td><td class="amount">– {{itemization.payments_credits}}</td></tr>
<tr class="total"><td>Cantidad total de la deuda ahora:</td><td class="amount">{{itemization.current}}</td></tr>
</table>
</section>
<section class="rights">
<h2>¿Cómo puede disputar la deuda?</h2>
<ul>
<li><strong>Llámenos o escríbanos a más tardar el {{validation.end_date}} para disputar toda la deuda o parte de ella.</strong> Si no lo hace, supondremos que nuestra información es correcta.</li>
<li><strong>Si nos escribe a más tardar el {{validation.end_date}}</strong>, debemos dejar de cobrar cualquier cantidad que usted dispute hasta que le enviemos información que demuestre que usted debe la deuda. Puede usar el formulario de abajo o escribirnos sin el formulario. También puede incluir documentos de respaldo.{{#collector.dispute_url}} Aceptamos disputas electrónicamente en {{collector.dispute_url}}.{{/collector.dispute_url}}</li>
</ul>
<h2>¿Qué más puede hacer?</h2>
<ul>
<li><strong>Escríbanos para pedir el nombre y la dirección del acreedor original, si es distinto del acreedor actual.</strong> Si nos escribe a más tardar el {{validation.end_date}}, debemos dejar de cobrar hasta que le enviemos esa información. Puede usar el formulario de abajo o escribirnos sin el formulario.{{#collector.original_creditor_url}} Aceptamos esas solicitudes electrónicamente en {{collector.original_creditor_url}}.{{/collector.original_creditor_url}}</li>
<li><strong>Visite {{cfpb_url}}</strong> para obtener más información sobre sus derechos bajo la ley federal. Por ejemplo, usted tiene derecho a detener o limitar la forma en que nos comunicamos con usted.</li>
<li><strong>Comuníquese con nosotros para conocer sus opciones de pago.</strong></li>
</ul>
{{#has_notices}}
<p class="see-reverse">Aviso: Vea al reverso información importante.</p>
{{/has_notices}}
</section>
{{>e_mail_footer}}
<section class="response-form">
<p class="cut">✂ - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -</p>
<h2>¿Cómo desea responder?</h2>
<div class="form-addresses">
<div class="mail-to"><span class="label">Envíe este formulario por correo a:</span><br>{{collector.name}}<br>{{#collector.address_lines}}{{.}}<br>{{/collector.address_lines}}</div>
<div class="form-from">{{recipient.name}}<br>{{#recipient.address_lines}}{{.}}<br>{{/recipient.address_lines}}</div>
</div>
<p>Marque todo lo que corresponda:</p>
<ul class="checks">
<li>☐ Quiero disputar la deuda porque creo que:
<ul>
<li>☐ Esta deuda no es mía.</li>
<li>☐ La cantidad es incorrecta.</li>
<li>☐ Otro (descríbalo al reverso o adjunte información adicional).</li>
</ul>
</li>
<li>☐ Quiero que me envíen el nombre y la dirección del acreedor original.</li>
<li>☐ Adjunto esta cantidad: $ ______________<br><span class="small">Haga su cheque pagadero a {{collector.payable_to}}. Incluya el número de referencia {{reference}}.</span></li>
</ul>
</section>
{{>state_disclosures}}
</article>
)";

constexpr const char* kValidationTextEn = R"({{>letterhead}}

{{disclosure}}

Our information shows:

You had {{#account.product}}{{account.product_phrase}}{{/account.product}}{{^account.product}}an account{{/account.product}} from {{account.original_creditor}}{{#account.number}} with account number {{account.number}}{{/account.number}}.

As of {{itemization.date}}, you owed: {{itemization.amount}}
Between {{itemization.date}} and today:
  You were charged this amount in interest: + {{itemization.interest}}
  You were charged this amount in fees: + {{itemization.fees}}
  You paid or were credited this amount toward the debt: - {{itemization.payments_credits}}
Total amount of the debt now: {{itemization.current}}

How can you dispute the debt?

- Call or write to us by {{validation.end_date}}, to dispute all or part of the debt. If you do not, we will assume that our information is correct.
- If you write to us by {{validation.end_date}}, we must stop collection on any amount you dispute until we send you information that shows you owe the debt. You may use the form below or write to us without the form. You may also include supporting documents.{{#collector.dispute_url}} We accept disputes electronically at {{collector.dispute_url}}.{{/collector.dispute_url}}

What else can you do?

- Write to ask for the name and address of the original creditor, if different from the current creditor. If you write by {{validation.end_date}}, we must stop collection until we send you that information. You may use the form below or write to us without the form.{{#collector.original_creditor_url}} We accept such requests electronically at {{collector.original_creditor_url}}.{{/collector.original_creditor_url}}
- Go to {{cfpb_url}} to learn more about your rights under federal law. For instance, you have the right to stop or limit how we contact you.
- Contact us about your payment options.
{{#spanish_disclosures}}
- Póngase en contacto con nosotros para solicitar una copia de este formulario en español.
{{/spanish_disclosures}}
{{#has_notices}}

Notice: See reverse side for important information.
{{/has_notices}}
{{>e_mail_footer}}

- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -
How do you want to respond?

Mail this form to:
{{collector.name}}
{{#collector.address_lines}}
{{.}}
{{/collector.address_lines}}

From:
{{recipient.name}}
{{#recipient.address_lines}}
{{.}}
{{/recipient.address_lines}}

Check all that apply:
[ ] I want to dispute the debt because I think:
    [ ] This is not my debt.
    [ ] The amount is wrong.
    [ ] Other (please describe on reverse or attach additional information).
[ ] I want you to send me the name and address of the original creditor.
[ ] I enclosed this amount: $ ______________
    Make your check payable to {{collector.payable_to}}. Include the reference number {{reference}}.
{{#spanish_disclosures}}
[ ] Quiero este formulario en español.
{{/spanish_disclosures}}
{{>state_disclosures}}
)";

constexpr const char* kValidationTextEs = R"({{>letterhead}}

{{disclosure}}

Nuestra información indica:

Usted tenía {{#account.product}}{{account.product}}{{/account.product}}{{^account.product}}una cuenta{{/account.product}} de {{account.original_creditor}}{{#account.number}} con el número de cuenta {{account.number}}{{/account.number}}.

Al {{itemization.date}}, usted debía: {{itemization.amount}}
Entre el {{itemization.date}} y hoy:
  Se le cobró esta cantidad en intereses: + {{itemization.interest}}
  Se le cobró esta cantidad en cargos: + {{itemization.fees}}
  Usted pagó o se le acreditó esta cantidad a la deuda: - {{itemization.payments_credits}}
Cantidad total de la deuda ahora: {{itemization.current}}

¿Cómo puede disputar la deuda?

- Llámenos o escríbanos a más tardar el {{validation.end_date}} para disputar toda la deuda o parte de ella. Si no lo hace, supondremos que nuestra información es correcta.
- Si nos escribe a más tardar el {{validation.end_date}}, debemos dejar de cobrar cualquier cantidad que usted dispute hasta que le enviemos información que demuestre que usted debe la deuda. Puede usar el formulario de abajo o escribirnos sin el formulario. También puede incluir documentos de respaldo.{{#collector.dispute_url}} Aceptamos disputas electrónicamente en {{collector.dispute_url}}.{{/collector.dispute_url}}

¿Qué más puede hacer?

- Escríbanos para pedir el nombre y la dirección del acreedor original, si es distinto del acreedor actual. Si nos escribe a más tardar el {{validation.end_date}}, debemos dejar de cobrar hasta que le enviemos esa información. Puede usar el formulario de abajo o escribirnos sin el formulario.{{#collector.original_creditor_url}} Aceptamos esas solicitudes electrónicamente en {{collector.original_creditor_url}}.{{/collector.original_creditor_url}}
- Visite {{cfpb_url}} para obtener más información sobre sus derechos bajo la ley federal. Por ejemplo, usted tiene derecho a detener o limitar la forma en que nos comunicamos con usted.
- Comuníquese con nosotros para conocer sus opciones de pago.
{{#has_notices}}

Aviso: Vea al reverso información importante.
{{/has_notices}}
{{>e_mail_footer}}

- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -
¿Cómo desea responder?

Envíe este formulario por correo a:
{{collector.name}}
{{#collector.address_lines}}
{{.}}
{{/collector.address_lines}}

De:
{{recipient.name}}
{{#recipient.address_lines}}
{{.}}
{{/recipient.address_lines}}

Marque todo lo que corresponda:
[ ] Quiero disputar la deuda porque creo que:
    [ ] Esta deuda no es mía.
    [ ] La cantidad es incorrecta.
    [ ] Otro (descríbalo al reverso o adjunte información adicional).
[ ] Quiero que me envíen el nombre y la dirección del acreedor original.
[ ] Adjunto esta cantidad: $ ______________
    Haga su cheque pagadero a {{collector.payable_to}}. Incluya el número de referencia {{reference}}.
{{>state_disclosures}}
)";

// ---- reminder -------------------------------------------------------------------------------

constexpr const char* kReminderHtmlEn = R"(<article class="letter reminder" lang="en">
{{>letterhead}}
<h1>Payment reminder</h1>
<p>Dear {{recipient.name}},</p>
<p>This is a reminder about {{>account}}. The balance is <strong>{{balance}}</strong>.</p>
{{#next_payment}}
<p>Your next payment of <strong>{{amount}}</strong> is due on <strong>{{due}}</strong>.</p>
{{/next_payment}}
{{>how_to_pay}}
<p>If you have already made this payment, thank you. If you have questions or cannot pay, please call us so we can discuss your options.</p>
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kReminderHtmlEs = R"(<article class="letter reminder" lang="es">
{{>letterhead}}
<h1>Recordatorio de pago</h1>
<p>Estimado(a) {{recipient.name}}:</p>
<p>Este es un recordatorio sobre {{>account}}. El saldo es <strong>{{balance}}</strong>.</p>
{{#next_payment}}
<p>Su próximo pago de <strong>{{amount}}</strong> vence el <strong>{{due}}</strong>.</p>
{{/next_payment}}
{{>how_to_pay}}
<p>Si ya hizo este pago, gracias. Si tiene preguntas o no puede pagar, llámenos para hablar de sus opciones.</p>
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kReminderTextEn = R"({{>letterhead}}

PAYMENT REMINDER

Dear {{recipient.name}},

This is a reminder about {{>account}}. The balance is {{balance}}.
{{#next_payment}}

Your next payment of {{amount}} is due on {{due}}.
{{/next_payment}}

{{>how_to_pay}}

If you have already made this payment, thank you. If you have questions or cannot pay, please call us so we can discuss your options.

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";
constexpr const char* kReminderTextEs = R"({{>letterhead}}

RECORDATORIO DE PAGO

Estimado(a) {{recipient.name}}:

Este es un recordatorio sobre {{>account}}. El saldo es {{balance}}.
{{#next_payment}}

Su próximo pago de {{amount}} vence el {{due}}.
{{/next_payment}}

{{>how_to_pay}}

Si ya hizo este pago, gracias. Si tiene preguntas o no puede pagar, llámenos para hablar de sus opciones.

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";

// ---- payment plan confirmation ----------------------------------------------------------------

constexpr const char* kPlanHtmlEn = R"(<article class="letter plan-confirmation" lang="en">
{{>letterhead}}
<h1>Your payment plan</h1>
<p>Dear {{recipient.name}},</p>
<p>This letter confirms the payment plan you agreed to for {{>account}}. You agreed to make {{plan.count}} payments totaling <strong>{{plan.total}}</strong>, from {{plan.first_due}} to {{plan.last_due}}:</p>
<table class="schedule">
<thead><tr><th>Payment</th><th>Due date</th><th class="amount">Amount</th></tr></thead>
<tbody>
{{#plan.installments}}
<tr><td>{{number}}</td><td>{{due}}</td><td class="amount">{{amount}}</td></tr>
{{/plan.installments}}
</tbody>
</table>
<p>The balance today is {{balance}}. Please make each payment by its due date. If you cannot make a payment, call us before the due date so we can discuss your options.</p>
{{>how_to_pay}}
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kPlanHtmlEs = R"(<article class="letter plan-confirmation" lang="es">
{{>letterhead}}
<h1>Su plan de pagos</h1>
<p>Estimado(a) {{recipient.name}}:</p>
<p>Esta carta confirma el plan de pagos que usted aceptó para {{>account}}. Usted aceptó hacer {{plan.count}} pagos por un total de <strong>{{plan.total}}</strong>, del {{plan.first_due}} al {{plan.last_due}}:</p>
<table class="schedule">
<thead><tr><th>Pago</th><th>Fecha de vencimiento</th><th class="amount">Cantidad</th></tr></thead>
<tbody>
{{#plan.installments}}
<tr><td>{{number}}</td><td>{{due}}</td><td class="amount">{{amount}}</td></tr>
{{/plan.installments}}
</tbody>
</table>
<p>El saldo hoy es {{balance}}. Haga cada pago a más tardar en su fecha de vencimiento. Si no puede hacer un pago, llámenos antes de esa fecha para hablar de sus opciones.</p>
{{>how_to_pay}}
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kPlanTextEn = R"({{>letterhead}}

YOUR PAYMENT PLAN

Dear {{recipient.name}},

This letter confirms the payment plan you agreed to for {{>account}}. You agreed to make {{plan.count}} payments totaling {{plan.total}}, from {{plan.first_due}} to {{plan.last_due}}:

{{#plan.installments}}
  {{number}}. {{due}}: {{amount}}
{{/plan.installments}}

The balance today is {{balance}}. Please make each payment by its due date. If you cannot make a payment, call us before the due date so we can discuss your options.

{{>how_to_pay}}

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";
constexpr const char* kPlanTextEs = R"({{>letterhead}}

SU PLAN DE PAGOS

Estimado(a) {{recipient.name}}:

Esta carta confirma el plan de pagos que usted aceptó para {{>account}}. Usted aceptó hacer {{plan.count}} pagos por un total de {{plan.total}}, del {{plan.first_due}} al {{plan.last_due}}:

{{#plan.installments}}
  {{number}}. {{due}}: {{amount}}
{{/plan.installments}}

El saldo hoy es {{balance}}. Haga cada pago a más tardar en su fecha de vencimiento. Si no puede hacer un pago, llámenos antes de esa fecha para hablar de sus opciones.

{{>how_to_pay}}

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";

// ---- settlement offer -----------------------------------------------------------------------

constexpr const char* kSettlementHtmlEn = R"(<article class="letter settlement-offer" lang="en">
{{>letterhead}}
<h1>Settlement offer</h1>
<p>Dear {{recipient.name}},</p>
<p>The balance of {{>account}} is {{settlement.balance}}. We will accept <strong>{{settlement.amount}}</strong> to settle this debt in full, {{settlement.savings}} less than the balance.</p>
{{#settlement.single_payment}}
<p>To accept, your payment of {{settlement.amount}} must reach us by <strong>{{settlement.expires}}</strong>.</p>
{{/settlement.single_payment}}
{{^settlement.single_payment}}
<p>To accept, make these {{settlement.count}} payments; the first must reach us by <strong>{{settlement.expires}}</strong>:</p>
<table class="schedule">
<thead><tr><th>Payment</th><th>Due date</th><th class="amount">Amount</th></tr></thead>
<tbody>
{{#settlement.installments}}
<tr><td>{{number}}</td><td>{{due}}</td><td class="amount">{{amount}}</td></tr>
{{/settlement.installments}}
</tbody>
</table>
{{/settlement.single_payment}}
<p>This offer expires on {{settlement.expires}}. We are not obligated to renew it. When the settlement is paid, we will consider the debt settled in full and send you a letter confirming it.</p>
{{>how_to_pay}}
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kSettlementHtmlEs = R"(<article class="letter settlement-offer" lang="es">
{{>letterhead}}
<h1>Oferta de liquidación</h1>
<p>Estimado(a) {{recipient.name}}:</p>
<p>El saldo de {{>account}} es {{settlement.balance}}. Aceptaremos <strong>{{settlement.amount}}</strong> para liquidar esta deuda por completo, {{settlement.savings}} menos que el saldo.</p>
{{#settlement.single_payment}}
<p>Para aceptar, su pago de {{settlement.amount}} debe llegarnos a más tardar el <strong>{{settlement.expires}}</strong>.</p>
{{/settlement.single_payment}}
{{^settlement.single_payment}}
<p>Para aceptar, haga estos {{settlement.count}} pagos; el primero debe llegarnos a más tardar el <strong>{{settlement.expires}}</strong>:</p>
<table class="schedule">
<thead><tr><th>Pago</th><th>Fecha de vencimiento</th><th class="amount">Cantidad</th></tr></thead>
<tbody>
{{#settlement.installments}}
<tr><td>{{number}}</td><td>{{due}}</td><td class="amount">{{amount}}</td></tr>
{{/settlement.installments}}
</tbody>
</table>
{{/settlement.single_payment}}
<p>Esta oferta vence el {{settlement.expires}}. No estamos obligados a renovarla. Cuando se pague la liquidación, consideraremos la deuda liquidada por completo y le enviaremos una carta que lo confirme.</p>
{{>how_to_pay}}
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kSettlementTextEn = R"({{>letterhead}}

SETTLEMENT OFFER

Dear {{recipient.name}},

The balance of {{>account}} is {{settlement.balance}}. We will accept {{settlement.amount}} to settle this debt in full, {{settlement.savings}} less than the balance.
{{#settlement.single_payment}}

To accept, your payment of {{settlement.amount}} must reach us by {{settlement.expires}}.
{{/settlement.single_payment}}
{{^settlement.single_payment}}

To accept, make these {{settlement.count}} payments; the first must reach us by {{settlement.expires}}:
{{#settlement.installments}}
  {{number}}. {{due}}: {{amount}}
{{/settlement.installments}}
{{/settlement.single_payment}}

This offer expires on {{settlement.expires}}. We are not obligated to renew it. When the settlement is paid, we will consider the debt settled in full and send you a letter confirming it.

{{>how_to_pay}}

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";
constexpr const char* kSettlementTextEs = R"({{>letterhead}}

OFERTA DE LIQUIDACIÓN

Estimado(a) {{recipient.name}}:

El saldo de {{>account}} es {{settlement.balance}}. Aceptaremos {{settlement.amount}} para liquidar esta deuda por completo, {{settlement.savings}} menos que el saldo.
{{#settlement.single_payment}}

Para aceptar, su pago de {{settlement.amount}} debe llegarnos a más tardar el {{settlement.expires}}.
{{/settlement.single_payment}}
{{^settlement.single_payment}}

Para aceptar, haga estos {{settlement.count}} pagos; el primero debe llegarnos a más tardar el {{settlement.expires}}:
{{#settlement.installments}}
  {{number}}. {{due}}: {{amount}}
{{/settlement.installments}}
{{/settlement.single_payment}}

Esta oferta vence el {{settlement.expires}}. No estamos obligados a renovarla. Cuando se pague la liquidación, consideraremos la deuda liquidada por completo y le enviaremos una carta que lo confirme.

{{>how_to_pay}}

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";

// ---- promise broken -------------------------------------------------------------------------

constexpr const char* kPromiseHtmlEn = R"(<article class="letter promise-broken" lang="en">
{{>letterhead}}
<h1>We did not receive your promised payment</h1>
<p>Dear {{recipient.name}},</p>
<p>You told us you would pay <strong>{{promise.amount}}</strong> on {{>account}} by <strong>{{promise.due}}</strong>. {{#promise.partly_paid}}We received {{promise.received}}, so {{promise.shortfall}} of that payment is still outstanding.{{/promise.partly_paid}}{{^promise.partly_paid}}We have not received that payment.{{/promise.partly_paid}}</p>
<p>The balance is {{balance}}. If you have already sent the payment, thank you; please call us so we can find it. If your situation has changed, contact us about your payment options.</p>
{{>how_to_pay}}
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kPromiseHtmlEs = R"(<article class="letter promise-broken" lang="es">
{{>letterhead}}
<h1>No recibimos el pago que prometió</h1>
<p>Estimado(a) {{recipient.name}}:</p>
<p>Usted nos dijo que pagaría <strong>{{promise.amount}}</strong> de {{>account}} a más tardar el <strong>{{promise.due}}</strong>. {{#promise.partly_paid}}Recibimos {{promise.received}}, así que aún faltan {{promise.shortfall}} de ese pago.{{/promise.partly_paid}}{{^promise.partly_paid}}No hemos recibido ese pago.{{/promise.partly_paid}}</p>
<p>El saldo es {{balance}}. Si ya envió el pago, gracias; llámenos para que podamos localizarlo. Si su situación cambió, comuníquese con nosotros para conocer sus opciones de pago.</p>
{{>how_to_pay}}
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kPromiseTextEn = R"({{>letterhead}}

WE DID NOT RECEIVE YOUR PROMISED PAYMENT

Dear {{recipient.name}},

You told us you would pay {{promise.amount}} on {{>account}} by {{promise.due}}. {{#promise.partly_paid}}We received {{promise.received}}, so {{promise.shortfall}} of that payment is still outstanding.{{/promise.partly_paid}}{{^promise.partly_paid}}We have not received that payment.{{/promise.partly_paid}}

The balance is {{balance}}. If you have already sent the payment, thank you; please call us so we can find it. If your situation has changed, contact us about your payment options.

{{>how_to_pay}}

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";
constexpr const char* kPromiseTextEs = R"({{>letterhead}}

NO RECIBIMOS EL PAGO QUE PROMETIÓ

Estimado(a) {{recipient.name}}:

Usted nos dijo que pagaría {{promise.amount}} de {{>account}} a más tardar el {{promise.due}}. {{#promise.partly_paid}}Recibimos {{promise.received}}, así que aún faltan {{promise.shortfall}} de ese pago.{{/promise.partly_paid}}{{^promise.partly_paid}}No hemos recibido ese pago.{{/promise.partly_paid}}

El saldo es {{balance}}. Si ya envió el pago, gracias; llámenos para que podamos localizarlo. Si su situación cambió, comuníquese con nosotros para conocer sus opciones de pago.

{{>how_to_pay}}

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";

// ---- paid in full / settled in full ---------------------------------------------------------

constexpr const char* kPaidHtmlEn = R"(<article class="letter paid-in-full" lang="en">
{{>letterhead}}
{{#resolution.settled}}
<h1>Your account is settled in full</h1>
<p>Dear {{recipient.name}},</p>
<p>We received {{resolution.paid}}, and on {{resolution.date}} we accepted it in full settlement of {{>account}}. You owe nothing more on this debt, and we have stopped collecting it.</p>
{{/resolution.settled}}
{{^resolution.settled}}
<h1>Your account is paid in full</h1>
<p>Dear {{recipient.name}},</p>
<p>Your payments totaling {{resolution.paid}} paid {{>account}} in full on {{resolution.date}}. The balance is {{balance}}, and we have stopped collecting this debt.</p>
{{/resolution.settled}}
<p>Please keep this letter for your records. Thank you.</p>
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kPaidHtmlEs = R"(<article class="letter paid-in-full" lang="es">
{{>letterhead}}
{{#resolution.settled}}
<h1>Su cuenta está liquidada por completo</h1>
<p>Estimado(a) {{recipient.name}}:</p>
<p>Recibimos {{resolution.paid}} y el {{resolution.date}} lo aceptamos como liquidación total de {{>account}}. Usted no debe nada más de esta deuda y dejamos de cobrarla.</p>
{{/resolution.settled}}
{{^resolution.settled}}
<h1>Su cuenta está pagada por completo</h1>
<p>Estimado(a) {{recipient.name}}:</p>
<p>Sus pagos por un total de {{resolution.paid}} saldaron por completo {{>account}} el {{resolution.date}}. El saldo es {{balance}} y dejamos de cobrar esta deuda.</p>
{{/resolution.settled}}
<p>Guarde esta carta en sus archivos. Gracias.</p>
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kPaidTextEn = R"({{>letterhead}}

{{#resolution.settled}}
YOUR ACCOUNT IS SETTLED IN FULL

Dear {{recipient.name}},

We received {{resolution.paid}}, and on {{resolution.date}} we accepted it in full settlement of {{>account}}. You owe nothing more on this debt, and we have stopped collecting it.
{{/resolution.settled}}
{{^resolution.settled}}
YOUR ACCOUNT IS PAID IN FULL

Dear {{recipient.name}},

Your payments totaling {{resolution.paid}} paid {{>account}} in full on {{resolution.date}}. The balance is {{balance}}, and we have stopped collecting this debt.
{{/resolution.settled}}

Please keep this letter for your records. Thank you.

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";
constexpr const char* kPaidTextEs = R"({{>letterhead}}

{{#resolution.settled}}
SU CUENTA ESTÁ LIQUIDADA POR COMPLETO

Estimado(a) {{recipient.name}}:

Recibimos {{resolution.paid}} y el {{resolution.date}} lo aceptamos como liquidación total de {{>account}}. Usted no debe nada más de esta deuda y dejamos de cobrarla.
{{/resolution.settled}}
{{^resolution.settled}}
SU CUENTA ESTÁ PAGADA POR COMPLETO

Estimado(a) {{recipient.name}}:

Sus pagos por un total de {{resolution.paid}} saldaron por completo {{>account}} el {{resolution.date}}. El saldo es {{balance}} y dejamos de cobrar esta deuda.
{{/resolution.settled}}

Guarde esta carta en sus archivos. Gracias.

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";

// ---- dispute verification response (§1006.38(d)(2)) ------------------------------------------

constexpr const char* kDisputeHtmlEn = R"(<article class="letter dispute-response" lang="en">
{{>letterhead}}
<h1>Response to your dispute</h1>
<p>Dear {{recipient.name}},</p>
{{#dispute.duplicative}}
<p>On {{dispute.received}} we received your dispute about {{>account}}. It is substantially the same as a dispute you sent before and does not include new and material information to support it. We responded to that dispute on {{dispute.previous_response}}, and that response still applies.</p>
<p>{{dispute.reason}}</p>
<p>If you have new information about this debt, please send it to us.</p>
{{/dispute.duplicative}}
{{^dispute.duplicative}}
<p>On {{dispute.received}} we received your dispute about {{>account}}. We have verified the debt. Enclosed you will find:</p>
<ul>
{{#dispute.documents}}
<li>{{.}}</li>
{{/dispute.documents}}
</ul>
<p>Our records show that you owe {{balance}} to {{account.creditor}}.</p>
{{/dispute.duplicative}}
<p>If you have questions, call us at {{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}} or write to us at {{collector.address_inline}}.</p>
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kDisputeHtmlEs = R"(<article class="letter dispute-response" lang="es">
{{>letterhead}}
<h1>Respuesta a su disputa</h1>
<p>Estimado(a) {{recipient.name}}:</p>
{{#dispute.duplicative}}
<p>El {{dispute.received}} recibimos su disputa sobre {{>account}}. Es esencialmente igual a una disputa que usted envió antes y no incluye información nueva y relevante que la respalde. Respondimos a esa disputa el {{dispute.previous_response}} y esa respuesta sigue vigente.</p>
<p>{{dispute.reason}}</p>
<p>Si tiene información nueva sobre esta deuda, envíenosla.</p>
{{/dispute.duplicative}}
{{^dispute.duplicative}}
<p>El {{dispute.received}} recibimos su disputa sobre {{>account}}. Hemos verificado la deuda. Adjuntamos:</p>
<ul>
{{#dispute.documents}}
<li>{{.}}</li>
{{/dispute.documents}}
</ul>
<p>Nuestros registros indican que usted le debe {{balance}} a {{account.creditor}}.</p>
{{/dispute.duplicative}}
<p>Si tiene preguntas, llámenos al {{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}} o escríbanos a {{collector.address_inline}}.</p>
{{>closing}}
{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
</article>
)";
constexpr const char* kDisputeTextEn = R"({{>letterhead}}

RESPONSE TO YOUR DISPUTE

Dear {{recipient.name}},
{{#dispute.duplicative}}

On {{dispute.received}} we received your dispute about {{>account}}. It is substantially the same as a dispute you sent before and does not include new and material information to support it. We responded to that dispute on {{dispute.previous_response}}, and that response still applies.

{{dispute.reason}}

If you have new information about this debt, please send it to us.
{{/dispute.duplicative}}
{{^dispute.duplicative}}

On {{dispute.received}} we received your dispute about {{>account}}. We have verified the debt. Enclosed you will find:
{{#dispute.documents}}
  - {{.}}
{{/dispute.documents}}

Our records show that you owe {{balance}} to {{account.creditor}}.
{{/dispute.duplicative}}

If you have questions, call us at {{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}} or write to us at {{collector.address_inline}}.

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";
constexpr const char* kDisputeTextEs = R"({{>letterhead}}

RESPUESTA A SU DISPUTA

Estimado(a) {{recipient.name}}:
{{#dispute.duplicative}}

El {{dispute.received}} recibimos su disputa sobre {{>account}}. Es esencialmente igual a una disputa que usted envió antes y no incluye información nueva y relevante que la respalde. Respondimos a esa disputa el {{dispute.previous_response}} y esa respuesta sigue vigente.

{{dispute.reason}}

Si tiene información nueva sobre esta deuda, envíenosla.
{{/dispute.duplicative}}
{{^dispute.duplicative}}

El {{dispute.received}} recibimos su disputa sobre {{>account}}. Hemos verificado la deuda. Adjuntamos:
{{#dispute.documents}}
  - {{.}}
{{/dispute.documents}}

Nuestros registros indican que usted le debe {{balance}} a {{account.creditor}}.
{{/dispute.duplicative}}

Si tiene preguntas, llámenos al {{collector.phone}}{{#collector.hours}} {{collector.hours}}{{/collector.hours}} o escríbanos a {{collector.address_inline}}.

{{>closing}}

{{>disclosure}}
{{>e_mail_footer}}
{{>state_disclosures}}
)";

constexpr const char* kStylesheet = R"(@page { size: letter; margin: 0.45in 0.6in; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 8.6pt; line-height: 1.22; color: #000; }
p { margin: 0.25em 0; }
article.letter { page-break-after: always; break-after: page; }
article.letter:last-child { page-break-after: auto; break-after: auto; }
.letterhead { display: flex; justify-content: space-between; }
.letterhead p { margin: 0 0 0.15em 0; }
.sender-name { font-weight: bold; font-size: 10pt; }
.recipient { margin: 0.6em 0 0.3em 0; }
.recipient p { margin: 0.1em 0 0 0; }
.label { font-weight: bold; }
.reference { margin: 0.2em 0 0.6em 0; }
.lead { font-size: 9.4pt; margin: 0.4em 0; }
h1 { font-size: 12pt; margin: 0.6em 0 0.4em 0; }
h2 { font-size: 9.8pt; margin: 0.55em 0 0.15em 0; }
ul { margin: 0.1em 0; padding-left: 1.2em; }
li { margin: 0.12em 0; }
table.itemization, table.schedule { border-collapse: collapse; margin: 0.2em 0; }
table.itemization td, table.schedule td, table.schedule th { padding: 0.05em 0.8em 0.05em 0; text-align: left; }
td.amount, th.amount { text-align: right; white-space: nowrap; }
td.indent { padding-left: 1.5em; }
tr.total td { font-weight: bold; border-top: 1px solid #000; }
.see-reverse { font-weight: bold; }
.response-form { margin-top: 0.6em; break-inside: avoid; page-break-inside: avoid; }
.cut { letter-spacing: 0.1em; color: #555; margin: 0; }
.form-addresses { display: flex; justify-content: space-between; margin: 0.3em 0; }
ul.checks { list-style: none; padding-left: 0; }
ul.checks ul { list-style: none; padding-left: 1.5em; }
.small { font-size: 8pt; }
.notices { break-before: page; page-break-before: always; }
.disclosure { margin-top: 0.9em; }
.opt-out { font-size: 8pt; margin-top: 0.8em; }
)";

struct Sources {
    const char* html_en;
    const char* html_es;
    const char* text_en;
    const char* text_es;
};

const Sources& sources(LetterKind kind) {
    static const Sources table[] = {
        {kValidationHtmlEn, kValidationHtmlEs, kValidationTextEn, kValidationTextEs},
        {kReminderHtmlEn, kReminderHtmlEs, kReminderTextEn, kReminderTextEs},
        {kPlanHtmlEn, kPlanHtmlEs, kPlanTextEn, kPlanTextEs},
        {kSettlementHtmlEn, kSettlementHtmlEs, kSettlementTextEn, kSettlementTextEs},
        {kPromiseHtmlEn, kPromiseHtmlEs, kPromiseTextEn, kPromiseTextEs},
        {kPaidHtmlEn, kPaidHtmlEs, kPaidTextEn, kPaidTextEs},
        {kDisputeHtmlEn, kDisputeHtmlEs, kDisputeTextEn, kDisputeTextEs},
    };
    if (kind == LetterKind::custom)
        throw ValidationError("letter: 'custom' has no built-in template");
    return table[static_cast<std::size_t>(kind)];
}

}  // namespace

LetterFormat parse_letter_format(std::string_view name, std::string_view field) {
    if (name == "html") return LetterFormat::html;
    if (name == "text") return LetterFormat::text;
    throw ValidationError(std::string(field) + ": " + quote(name) + " is not a letter format (expected 'html' or 'text')");
}

std::string_view to_string(LetterFormat f) { return f == LetterFormat::html ? "html" : "text"; }

std::string builtin_source(LetterKind kind, Language lang, LetterFormat format) {
    const Sources& s = sources(kind);
    if (format == LetterFormat::html) return lang == Language::en ? s.html_en : s.html_es;
    return lang == Language::en ? s.text_en : s.text_es;
}

std::map<std::string, std::string> builtin_partials(Language lang, LetterFormat format) {
    const bool en = lang == Language::en;
    if (format == LetterFormat::html)
        return {{"letterhead", en ? kHtmlLetterheadEn : kHtmlLetterheadEs},
                {"closing", en ? kHtmlClosingEn : kHtmlClosingEs},
                {"disclosure", kHtmlDisclosure},
                {"state_disclosures", en ? kHtmlStateEn : kHtmlStateEs},
                {"e_mail_footer", kHtmlEmailFooter},
                {"how_to_pay", en ? kHtmlHowToPayEn : kHtmlHowToPayEs},
                {"account", en ? kHtmlAccountEn : kHtmlAccountEs}};
    return {{"letterhead", en ? kTextLetterheadEn : kTextLetterheadEs},
            {"closing", en ? kTextClosingEn : kTextClosingEs},
            {"disclosure", kTextDisclosure},
            {"state_disclosures", en ? kTextStateEn : kTextStateEs},
            {"e_mail_footer", kTextEmailFooter},
            {"how_to_pay", en ? kTextHowToPayEn : kTextHowToPayEs},
            {"account", en ? kHtmlAccountEn : kHtmlAccountEs}};
}

Template builtin_template(LetterKind kind, Language lang, LetterFormat format,
                          const std::map<std::string, std::string>& partials) {
    auto all = builtin_partials(lang, format);
    for (const auto& [name, src] : partials) all[name] = src;
    TemplateOptions options;
    options.strict = true;
    options.escape = format == LetterFormat::html ? TemplateEscape::html : TemplateEscape::none;
    options.language = lang;
    return Template(builtin_source(kind, lang, format), std::move(all), options);
}

std::string_view builtin_stylesheet() { return kStylesheet; }

std::string html_document_head(std::string_view title, std::string_view stylesheet) {
    std::string out = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>";
    out += html_escape(title);
    out += "</title>\n<style>\n";
    out += stylesheet;
    out += "</style>\n</head>\n<body>\n";
    return out;
}

std::string_view html_document_tail() { return "</body>\n</html>\n"; }

std::vector<std::string> builtin_tags(LetterKind kind) {
    switch (kind) {
        case LetterKind::paid_in_full: return {"cease_exempt", "dispute_exempt"};
        case LetterKind::dispute_response: return {"dispute_exempt"};
        case LetterKind::custom: return {"collection"};
        default: return {"collection"};
    }
}

std::string builtin_subject(LetterKind kind, Language lang) {
    const bool en = lang == Language::en;
    switch (kind) {
        case LetterKind::validation_notice: return en ? "Information about a debt" : "Información sobre una deuda";
        case LetterKind::reminder: return en ? "Payment reminder" : "Recordatorio de pago";
        case LetterKind::plan_confirmation: return en ? "Your payment plan" : "Su plan de pagos";
        case LetterKind::settlement_offer: return en ? "Settlement offer" : "Oferta de liquidación";
        case LetterKind::promise_broken:
            return en ? "We did not receive your promised payment" : "No recibimos el pago que prometió";
        case LetterKind::paid_in_full: return en ? "Your account is resolved" : "Su cuenta está saldada";
        case LetterKind::dispute_response: return en ? "Response to your dispute" : "Respuesta a su disputa";
        case LetterKind::custom: return en ? "A message about your account" : "Un mensaje sobre su cuenta";
    }
    return {};
}

}  // namespace arrears
