<?php
/**
 * The shopper's language on the PHP side: which language a message is in (the extension's
 * Aisle\Language::detect, with a keyword check for short messages), the WordPress locale whose
 * .mo files answer in it, and per-language phrases the built-in answerer acts on: intents, price
 * phrases, filler words, colours and sizes (for picking a variation) and country aliases.
 * Product vocabulary across languages (bonnets → beanie) belongs to the extension's search.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Catalog;

use Aisle\Plugin\RestController;

defined( 'ABSPATH' ) || exit;

final class Lexicon {

	/** ISO 639-1 code => the locale of the .mo files shipped in languages/. */
	public const LOCALES = array(
		'en' => 'en_US',
		'ar' => 'ar',
		'fr' => 'fr_FR',
		'es' => 'es_ES',
		'de' => 'de_DE',
		'pt' => 'pt_BR',
		'it' => 'it_IT',
	);

	/**
	 * Intent phrases, every language together: a shopper mixes languages ("do you ship to Kanada"),
	 * and an intent word rarely means something else in another supported language.
	 * Latin-script entries match whole words; Arabic ones anywhere (prefixes such as و ب ل ال attach).
	 */
	private const INTENTS = array(
		'injection' => array(
			'ignore (?:all |any |the |your |my )?(?:previous |prior |above |earlier |system )?(?:instructions|prompts?|rules)', 'system prompt', 'your (?:instructions|prompt|rules)', 'jailbreak', 'developer mode', 'pretend (?:you are|to be)', 'act as (?:a|an|my)\b',
			'ignorez? (?:les |tes |vos |toutes les )?(?:instructions|consignes)', 'prompt syst[eè]me', 'tes instructions', 'vos instructions',
			'ignora (?:las |tus |todas las )?instrucciones', 'tus instrucciones',
			'ignorier(?:e|en sie)? (?:alle |deine |die |ihre |vorherigen )*anweisungen', 'systemprompt', 'system-prompt',
			'ignor[ea] (?:as |suas |todas as )?instru[çc][õo]es', 'suas instru[çc][õo]es',
			'ignora (?:le |tutte le )?istruzioni', 'le tue istruzioni',
			'تجاهل', 'تعليماتك', 'التعليمات السابقة', 'موجه النظام',
		),
		'lead'      => array(
			'human', 'agent', 'real person', 'someone', 'call me', 'contact me', 'email me', 'talk to', 'speak to',
			'humain', 'conseiller', 'une vraie personne', "quelqu'un", 'appelez-moi', 'contactez-moi', 'parler à',
			'humano', 'una persona real', 'alguien', 'llámame', 'llamadme', 'contáctame', 'hablar con',
			'mensch', 'mitarbeiter', 'berater', 'jemand', 'ruf mich an', 'rufen sie mich an', 'kontaktieren sie mich', 'sprechen mit',
			'atendente', 'uma pessoa', 'alguém', 'me ligue', 'ligue-me', 'falar com',
			'operatore', 'una persona vera', 'qualcuno', 'chiamatemi', 'contattatemi', 'parlare con',
			'موظف', 'شخص حقيقي', 'إنسان', 'انسان', 'تواصل معي', 'اتصل بي', 'اتصلوا بي', 'خدمة العملاء',
		),
		'greeting'  => array(
			'hi', 'hello', 'hey', 'hiya', 'good morning', 'good afternoon', 'good evening',
			'bonjour', 'bonsoir', 'salut', 'coucou',
			'hola', 'buenos días', 'buenas tardes', 'buenas noches', 'buenas',
			'hallo', 'guten tag', 'guten morgen', 'guten abend', 'servus', 'moin',
			'olá', 'ola', 'oi', 'bom dia', 'boa tarde', 'boa noite',
			'ciao', 'buongiorno', 'buonasera', 'salve',
			'salam', 'مرحبا', 'مرحباً', 'السلام عليكم', 'سلام', 'أهلا', 'اهلا', 'أهلاً', 'صباح الخير', 'مساء الخير',
		),
		'shipping'  => array(
			'ship', 'ships', 'shipping', 'deliver', 'delivers', 'delivery', 'postage',
			'livr\w*', 'expédi\w*', 'expedi\w*', 'envoyez', 'frais de port',
			'envío', 'envíos', 'envio', 'envios', 'envían', 'envian', 'enviáis', 'enviar', 'entrega', 'entregan',
			'versand\w*', 'versendet', 'versendest', 'verschickt', 'liefert', 'liefern', 'lieferung', 'zustellung',
			'enviam', 'entregam', 'frete',
			'spedi\w*', 'consegn\w*',
			'شحن', 'تشحن', 'الشحن', 'توصيل', 'توصلون', 'يوصل', 'ترسلون',
		),
		'payment'   => array(
			'pay', 'payment', 'payments', 'paypal', 'credit card', 'cash on delivery', 'bank transfer',
			'payer', 'paiement', 'paiements', 'payez', 'carte bancaire', 'virement',
			'pagar', 'pago', 'pagos', 'tarjeta', 'transferencia',
			'bezahlen', 'zahlen', 'zahlung', 'zahlungsarten', 'zahlungsmethoden', 'kreditkarte', 'überweisung', 'nachnahme',
			'pagamento', 'pagamentos', 'cartão', 'transferência', 'boleto', 'pix',
			'pagare', 'pagamenti', 'carta di credito', 'bonifico', 'contrassegno',
			'الدفع', 'دفع', 'ادفع', 'أدفع', 'بطاقة', 'تحويل بنكي', 'الدفع عند الاستلام',
		),
		'coupon'    => array(
			'coupon', 'coupons', 'discount', 'discounts', 'promo', 'voucher', 'code', 'codes',
			'code promo', 'réduction', 'remise', 'bon de réduction',
			'cupón', 'cupon', 'cupones', 'descuento', 'descuentos', 'código', 'promoción',
			'gutschein', 'gutscheine', 'rabatt', 'rabatte', 'rabattcode', 'gutscheincode',
			'cupom', 'cupons', 'desconto', 'descontos',
			'sconto', 'sconti', 'codice sconto', 'buono',
			'كوبون', 'خصم', 'كود', 'رمز الخصم', 'قسيمة',
		),
		'policy'    => array(
			'return', 'returns', 'refund', 'refunds', 'exchange', 'terms', 'privacy', 'policy', 'policies',
			'retour', 'retours', 'rembours\w*', 'échange', 'conditions générales', 'confidentialité', 'politique',
			'devolución', 'devoluciones', 'devolver', 'reembolso', 'términos', 'privacidad', 'política',
			'rückgabe', 'rücksendung', 'zurückgeben', 'zurückschicken', 'erstattung', 'umtausch', 'widerruf', 'agb', 'datenschutz',
			'devolução', 'devoluções', 'troca', 'termos', 'privacidade',
			'reso', 'resi', 'restituire', 'rimborso', 'termini', 'informativa',
			'إرجاع', 'ارجاع', 'استرجاع', 'استرداد', 'استبدال', 'سياسة', 'الخصوصية', 'الشروط',
		),
		'stock'     => array(
			'in stock', 'available', 'availability', 'sold out', 'back in stock',
			'en stock', 'disponible', 'disponibles', 'disponibilité', 'épuisé',
			'hay existencias', 'disponibilidad', 'agotado',
			'auf lager', 'vorrätig', 'lieferbar', 'verfügbar', 'ausverkauft',
			'em estoque', 'disponível', 'disponíveis', 'esgotado',
			'disponibile', 'disponibili', 'in magazzino', 'esaurito',
			'متوفر', 'متوفرة', 'متاح', 'متاحة', 'في المخزون', 'موجود',
		),
		'price'     => array(
			'how much', 'price of', 'cost of', 'what does .{1,60} cost', 'what is the price',
			'combien', 'quel est le prix', 'prix d[eu]', 'prix de la', 'coûte',
			'cuánto', 'cuanto', 'precio', 'cuesta',
			'wie viel', 'wieviel', 'was kostet', 'kostet', 'preis',
			'quanto custa', 'quanto é', 'quanto e', 'preço', 'custa',
			'quanto costa', 'quanto viene', 'prezzo', 'costa',
			'كم سعر', 'سعر', 'بكم', 'كم ثمن', 'ثمن', 'كم يكلف',
		),
	);

	/** "Where is my order" phrases (an order number alone is not enough in "can I order 3?"). */
	private const ORDER_WORDS = array(
		'order', 'orders', 'track', 'tracking', 'parcel', 'package', 'shipment',
		'commande', 'commandes', 'colis', 'suivi',
		'pedido', 'pedidos', 'paquete', 'seguimiento',
		'bestellung', 'bestellungen', 'paket', 'sendung', 'sendungsverfolgung', 'bestellnummer',
		'encomenda', 'rastreio', 'rastreamento',
		'ordine', 'ordini', 'pacco', 'spedizione',
		'طلب', 'طلبي', 'الطلب', 'طلبية', 'شحنتي', 'تتبع', 'رقم الطلب',
	);

	private const ORDER_STATUS = array(
		'my order', 'order status', 'track', 'tracking', 'where is', 'parcel', 'package', 'shipment',
		'ma commande', 'où est', 'suivi', 'statut', 'colis',
		'mi pedido', 'dónde está', 'donde esta', 'estado', 'seguimiento', 'paquete',
		'meine bestellung', 'wo ist', 'status', 'sendung', 'paket', 'sendungsverfolgung',
		'meu pedido', 'minha encomenda', 'onde está', 'onde esta', 'rastreio', 'rastreamento',
		'il mio ordine', 'dov\'è', 'dove è', 'stato', 'pacco',
		'طلبي', 'أين', 'اين', 'وين', 'حالة', 'تتبع', 'شحنتي',
	);

	/** Price phrases: a bound then a number, in every supported language. */
	private const PRICE_MAX = array( 'under', 'below', 'less than', 'cheaper than', 'max', 'maximum', 'up to', 'no more than', 'at most', 'within',
		'moins de', 'moins que', 'en dessous de', 'en-dessous de', 'sous', 'maximum', "jusqu'à", 'pas plus de', 'au plus',
		'menos de', 'por debajo de', 'máximo', 'hasta', 'bajo', 'no más de',
		'unter', 'weniger als', 'bis zu', 'bis', 'höchstens', 'maximal', 'billiger als', 'günstiger als',
		'abaixo de', 'até', 'no máximo', 'mais barato que',
		'meno di', 'sotto', 'fino a', 'al massimo', 'massimo', 'non più di',
		'أقل من', 'اقل من', 'تحت', 'بحد أقصى', 'لا يزيد عن', 'أرخص من', 'ارخص من', 'حتى' );
	private const PRICE_MIN = array( 'over', 'above', 'more than', 'at least', 'from',
		'plus de', 'au moins', 'au-dessus de', 'à partir de', 'a partir de',
		'más de', 'mas de', 'al menos', 'desde', 'por encima de',
		'über', 'mehr als', 'mindestens', 'ab',
		'mais de', 'acima de', 'pelo menos',
		'più di', 'sopra', 'almeno', 'a partire da', 'oltre',
		'أكثر من', 'اكثر من', 'فوق', 'على الأقل' );
	private const BETWEEN  = array( 'between', 'entre', 'zwischen', 'tra', 'fra', 'بين' );
	private const AND      = array( 'and', 'et', 'y', 'e', 'und', 'to', 'à', 'a', 'bis', 'و', '-', '–' );
	private const CHEAPEST = array( 'cheapest', 'cheap', 'lowest price', 'least expensive', 'budget',
		'le moins cher', 'la moins chère', 'les moins chers', 'moins cher', 'moins chère', 'pas cher', 'pas chère', 'bon marché',
		'más barato', 'más barata', 'mas barato', 'barato', 'barata', 'baratos', 'económico', 'económica',
		'billigste', 'billigsten', 'günstigste', 'günstigsten', 'billig', 'günstig',
		'mais barato', 'mais barata', 'baratas',
		'più economico', 'più economica', 'economico', 'economica', 'meno caro', 'meno cara',
		'الأرخص', 'الارخص', 'أرخص', 'ارخص', 'رخيص', 'رخيصة' );
	private const PRICIEST = array( 'most expensive', 'priciest', 'highest price', 'le plus cher', 'la plus chère', 'les plus chers', 'más caro', 'más cara', 'mas caro', 'teuerste', 'teuersten', 'mais caro', 'mais cara', 'più caro', 'più cara', 'الأغلى', 'الاغلى', 'أغلى', 'اغلى' );
	private const CURRENCY = '(?:[$€£]|us\$|r\$|usd|eur|gbp|sar|aed|chf|cad|dollars?|euros?|euro|pounds?|livres?|reais|real|francs?|dólares|dolares|sr|ريال|ريالات|درهم|دراهم|دينار|دولار|يورو|جنيه|ر\.س|د\.إ)';

	/** "only in Hoodies": the shopper asks for a hard category filter. */
	private const ONLY_IN = array( 'only in', 'only from', 'just in', 'uniquement dans', 'seulement dans', 'que dans', 'uniquement en', 'solo en', 'sólo en', 'solamente en', 'nur in', 'nur aus', 'nur bei', 'só em', 'somente em', 'apenas em', 'solo in', 'soltanto in', 'solo nella', 'solo nei', 'فقط في', 'فقط من' );

	/** Filler words dropped from a search query, per language (the extension stems what is left). */
	private const FILLER = array(
		'en' => "do you have has any some i am looking for want need show me please a an the in stock available sell got is are there can find tell about details of what which with price cost how much does it they them this that these those still left any more sold out yours we your our hi hey guys what's i'm it's that's there's here's you're we're i'd",
		'fr' => 'avez-vous avez vous est-ce que qu est ce il y a des de du la le les un une au aux je cherche voudrais veux voir montrez-moi montre-moi svp s\'il plaît vendez pour en stock disponible disponibles combien coûte coûtent prix est sont encore ont',
		'es' => 'tienen tenéis tiene hay algún alguna algunos algunas unos unas un una el la los las de del en para busco quiero necesito mostrar muéstrame enséñame por favor venden stock disponible disponibles cuánto cuanto cuesta cuestan precio es son está están todavía',
		'de' => 'habt ihr haben sie hast du gibt es ein eine einen einem der die das den dem des ich suche möchte will brauche zeig zeigen mir bitte verkauft auf lager verfügbar lieferbar vorrätig wie viel wieviel kostet kosten preis ist sind noch für von mit im',
		'pt' => 'vocês voces você tem têm há algum alguma alguns algumas um uma uns umas o a os as de do da dos das em no na para procuro quero preciso mostrar mostre por favor vendem estoque disponível disponíveis quanto custa custam preço é são está estão ainda',
		'it' => 'avete hai c\'è ci sono qualche dei degli delle un uno una il lo la i gli le di del della in per cerco vorrei voglio mostrami mostrate per favore vendete magazzino disponibile disponibili quanto costa costano prezzo è sono ancora',
		'ar' => 'هل لديكم لديك عندكم عندك يوجد توجد في من عن ما هو هي كم أريد اريد ابحث أبحث عن هذا هذه متوفر متوفرة متاح متاحة المخزون سعر ثمن بكم لو سمحت من فضلك عندكم لكم بعض أي اي',
	);

	/** Colour words per English colour name (for picking the variation a question names). */
	private const COLOURS = array(
		'blue'   => array( 'blue', 'bleu', 'bleue', 'bleus', 'azul', 'blau', 'blaue', 'blauen', 'blauer', 'blu', 'azzurro', 'azzurra', 'أزرق', 'ازرق', 'زرقاء' ),
		'red'    => array( 'red', 'rouge', 'rouges', 'rojo', 'roja', 'rot', 'rote', 'roten', 'vermelho', 'vermelha', 'rosso', 'rossa', 'أحمر', 'احمر', 'حمراء' ),
		'green'  => array( 'green', 'vert', 'verte', 'verde', 'grün', 'grüne', 'grünen', 'أخضر', 'اخضر', 'خضراء' ),
		'black'  => array( 'black', 'noir', 'noire', 'negro', 'negra', 'schwarz', 'schwarze', 'preto', 'preta', 'nero', 'nera', 'أسود', 'اسود', 'سوداء' ),
		'white'  => array( 'white', 'blanc', 'blanche', 'blanco', 'blanca', 'weiß', 'weiss', 'weiße', 'branco', 'branca', 'bianco', 'bianca', 'أبيض', 'ابيض', 'بيضاء' ),
		'gray'   => array( 'gray', 'grey', 'gris', 'grise', 'grau', 'graue', 'cinza', 'grigio', 'grigia', 'رمادي' ),
		'yellow' => array( 'yellow', 'jaune', 'amarillo', 'amarilla', 'gelb', 'gelbe', 'amarelo', 'amarela', 'giallo', 'gialla', 'أصفر', 'اصفر', 'صفراء' ),
		'pink'   => array( 'pink', 'rose', 'rosa', 'وردي' ),
	);

	private const SIZES = array(
		'xs'     => array( 'xs', 'extra small' ),
		'small'  => array( 's', 'small', 'petit', 'petite', 'pequeño', 'pequena', 'klein', 'piccola', 'piccolo', 'صغير' ),
		'medium' => array( 'm', 'medium', 'moyen', 'moyenne', 'mediano', 'mittel', 'médio', 'medio', 'متوسط' ),
		'large'  => array( 'l', 'large', 'grand', 'grande', 'groß', 'gross', 'كبير' ),
		'xl'     => array( 'xl', 'extra large' ),
	);

	/** Common ways of naming a country that ICU's display names do not cover. */
	private const COUNTRY_ALIASES = array(
		'US' => array( 'usa', 'u.s.', 'america', 'amérique', 'amerika', 'eeuu', 'ee.uu.', 'eua', 'أمريكا', 'امريكا', 'الولايات المتحدة' ),
		'GB' => array( 'uk', 'u.k.', 'england', 'britain', 'great britain', 'angleterre', 'inglaterra', 'england', 'inghilterra', 'بريطانيا', 'إنجلترا', 'انجلترا' ),
		'SA' => array( 'saudi', 'ksa', 'arabie saoudite', 'arabia saudita', 'saudi-arabien', 'السعودية', 'السعوديه' ),
		'AE' => array( 'uae', 'emirates', 'dubai', 'émirats', 'emiratos', 'emirate', 'الإمارات', 'الامارات', 'دبي' ),
		'DE' => array( 'المانيا' ),
		'NL' => array( 'holland', 'hollande', 'holanda', 'olanda' ),
	);

	/** Digits of any script (Arabic-Indic, Persian) as ASCII digits: the extension's rule, as the index applies it. */
	public static function digits( string $text ): string {
		return \Aisle\Language::normalizeDigits( $text );
	}

	/** Words that mark a language in short shop questions (when a detector has too little text). */
	private const MARKERS = array(
		'en' => 'the do you have is are how much what where my ship any in stock price hello hi cost does can i want how can pay want need thanks order shipping return',
		'fr' => 'vous avez des les est combien livrez où ma mon le la une un bonjour quel quelle prix moins je y a coûte sont votre vos pour avec comment puis payer veux voudrais merci commande livraison retour',
		'es' => 'tienen hay los las el cuánto cuanto cuesta envían envian dónde donde mi hola una qué precio menos está están para con como puedo pagar quiero necesito gracias pedido envío devolución',
		'de' => 'habt ihr haben sie der die das ist wie viel kostet liefert wo meine mein hallo nach unter gibt es auf lager ich eine einen und mit kann bezahlen möchte danke bestellung versand rückgabe',
		'pt' => 'vocês voces têm tem os as quanto custa onde meu minha olá oi um uma está estoque enviam para com não também como posso pagar quero preciso obrigado pedido encomenda frete devolução',
		'it' => 'avete ci sono il gli quanto costa dove mio mia ciao è spedite disponibile vorrei per con della delle come posso pagare voglio grazie ordine spedizione reso',
	);

	/**
	 * ISO 639-1 code of a message among the supported languages, or '' when unsure.
	 * The extension's detector decides; for short messages a keyword count checks it.
	 */
	public static function detect( string $text ): string {
		if ( preg_match( '/\p{Arabic}/u', $text ) ) {
			return 'ar';
		}
		$ext    = \Aisle\Language::detect( $text, array_keys( self::LOCALES ) );
		$scores = self::marker_scores( $text );
		arsort( $scores );
		$best   = (string) array_key_first( $scores );
		$top    = $scores[ $best ];
		$second = array_values( $scores )[1] ?? 0;
		if ( isset( self::LOCALES[ $ext ] ) ) {
			// A short message the detector misreads: the words say otherwise, clearly.
			return ( $top >= 2 && 0 === ( $scores[ $ext ] ?? 0 ) && $top > $second ) ? $best : $ext;
		}
		return $top >= 1 && $top > $second ? $best : '';
	}

	private static function marker_scores( string $text ): array {
		$words  = preg_split( '/[^\p{L}]+/u', mb_strtolower( $text ), -1, PREG_SPLIT_NO_EMPTY );
		$scores = array();
		foreach ( self::MARKERS as $lang => $list ) {
			$scores[ $lang ] = count( array_intersect( $words, explode( ' ', $list ) ) );
		}
		// Letters only one of them writes.
		$scores['de'] += preg_match( '/[ßäöü]/u', $text ) ? 1 : 0;
		$scores['es'] += preg_match( '/[ñ¿¡]/u', $text ) ? 2 : 0;
		$scores['pt'] += preg_match( '/[ãõ]/u', $text ) ? 2 : 0;
		$scores['fr'] += preg_match( '/[œ]|\b(?:qu|l|d|j)\'|-vous\b/u', $text ) ? 2 : 0;
		return $scores;
	}

	/** The locale whose translations answer in $lang ('' or unknown: the site's). */
	public static function locale( string $lang ): string {
		return self::LOCALES[ $lang ] ?? get_locale();
	}

	/**
	 * $value when it names a supported language, else the site's language when Aisle speaks it,
	 * else English: the language a reply, a message or a widget falls back to.
	 */
	public static function supported( $value ): string {
		return is_string( $value ) && isset( self::LOCALES[ $value ] ) ? $value : self::site_language();
	}

	/** The site's language when Aisle speaks it, else English. */
	public static function site_language(): string {
		$site = self::language_of( get_locale() );
		return isset( self::LOCALES[ $site ] ) ? $site : 'en';
	}

	/** The writing direction of a supported language: Arabic is the one written right to left. */
	public static function direction( string $lang ): string {
		return 'ar' === $lang ? 'rtl' : 'ltr';
	}

	/** The language of a WordPress locale ("fr_FR" → "fr"). */
	public static function language_of( string $locale ): string {
		return strtolower( substr( $locale, 0, 2 ) );
	}

	/**
	 * Makes switch_to_locale() accept the locales Aisle ships translations for, in chat requests
	 * (a store without WordPress's own language packs still answers a French shopper in French).
	 * Only there: elsewhere this list fills language menus (Settings, the login screen's switcher,
	 * which then asks the internet for translations).
	 */
	public static function register(): void {
		// WordPress reads this list once, before it parses the request: the route is told by the URL.
		$uri  = isset( $_SERVER['REQUEST_URI'] ) ? rawurldecode( (string) wp_unslash( $_SERVER['REQUEST_URI'] ) ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- only compared.
		$chat = ! is_admin() && str_contains( $uri, RestController::NAMESPACE . '/chat' );
		if ( ! $chat ) {
			return;
		}
		add_filter(
			'get_available_languages',
			static function ( $languages, $dir = null ) {
				if ( null !== $dir ) {
					return $languages;
				}
				foreach ( self::LOCALES as $locale ) {
					if ( 'en_US' !== $locale && is_readable( dirname( AISLE_FILE ) . '/languages/aisle-' . $locale . '.mo' ) ) {
						$languages[] = $locale;
					}
				}
				return array_values( array_unique( (array) $languages ) );
			},
			10,
			2
		);
	}

	/**
	 * Runs $fn with WordPress switched to $lang's locale (the 'aisle' text domain follows). Where
	 * WordPress refuses the switch (staff routes and background jobs, which register() leaves
	 * alone), Aisle's own strings are still read from its .mo file for that locale.
	 */
	public static function in_language( string $lang, callable $fn ) {
		$locale   = self::locale( $lang );
		$other    = $locale !== determine_locale();
		$switched = $other && switch_to_locale( $locale );
		$statuses = static function ( $list ) {
			return self::order_statuses() + (array) $list;
		};
		$mo    = $other && ! $switched ? self::mo( $locale ) : null;
		$own   = static fn ( $translation, $text, $domain ) => 'aisle' === $domain ? $mo->translate( $text ) : $translation;
		$own_x = static fn ( $translation, $text, $context, $domain ) => 'aisle' === $domain ? $mo->translate( $text, $context ) : $translation;
		if ( $switched ) {
			add_filter( 'wc_order_statuses', $statuses, 99 );
		}
		if ( $mo ) {
			add_filter( 'gettext', $own, 99, 3 );
			add_filter( 'gettext_with_context', $own_x, 99, 4 );
		}
		try {
			return $fn();
		} finally {
			if ( $switched ) {
				remove_filter( 'wc_order_statuses', $statuses, 99 );
				restore_previous_locale();
			}
			if ( $mo ) {
				remove_filter( 'gettext', $own, 99 );
				remove_filter( 'gettext_with_context', $own_x, 99 );
			}
		}
	}

	/** Aisle's translations for $locale (none for English: the msgids are English). */
	private static function mo( string $locale ): \MO {
		static $cache = array();
		if ( ! isset( $cache[ $locale ] ) ) {
			require_once ABSPATH . WPINC . '/pomo/mo.php';
			$cache[ $locale ] = new \MO();
			$file             = dirname( AISLE_FILE ) . '/languages/aisle-' . $locale . '.mo';
			if ( 'en_US' !== $locale && is_readable( $file ) ) {
				$cache[ $locale ]->import_from_file( $file );
			}
		}
		return $cache[ $locale ];
	}

	/** WooCommerce's order status names, in Aisle's translations (stores without WooCommerce's language packs). */
	private static function order_statuses(): array {
		return array(
			'wc-pending'    => _x( 'Pending payment', 'Order status', 'aisle' ),
			'wc-processing' => _x( 'Processing', 'Order status', 'aisle' ),
			'wc-on-hold'    => _x( 'On hold', 'Order status', 'aisle' ),
			'wc-completed'  => _x( 'Completed', 'Order status', 'aisle' ),
			'wc-cancelled'  => _x( 'Cancelled', 'Order status', 'aisle' ),
			'wc-refunded'   => _x( 'Refunded', 'Order status', 'aisle' ),
			'wc-failed'     => _x( 'Failed', 'Order status', 'aisle' ),
		);
	}

	/** Does the (lower-cased) message say $intent in any supported language? */
	public static function says( string $intent, string $t ): bool {
		static $re = array();
		if ( ! isset( $re[ $intent ] ) ) {
			$list           = 'order' === $intent ? self::ORDER_WORDS : ( 'order_status' === $intent ? self::ORDER_STATUS : self::INTENTS[ $intent ] );
			$re[ $intent ]  = self::alternation( $list, true );
		}
		return (bool) preg_match( $re[ $intent ], $t );
	}

	/** The whole message is only a greeting ("Bonjour !", "مرحبا"). */
	public static function is_greeting( string $t ): bool {
		static $re = null;
		$re ??= '/^[\s¡¿]*(?:' . implode( '|', array_map( static fn ( $w ) => preg_quote( $w, '/' ), self::INTENTS['greeting'] ) ) . ')(?:\s+(?:there|all|à tous|a todos|zusammen|a todos|a tutti))?[\s!.,?¡¿،؟]*$/u';
		return (bool) preg_match( $re, $t );
	}

	/** A regex matching any phrase; Latin phrases as whole words, Arabic ones anywhere. */
	private static function alternation( array $list, bool $regex_entries ): string {
		$latin  = array();
		$arabic = array();
		foreach ( $list as $p ) {
			$q = $regex_entries ? $p : preg_quote( $p, '/' );
			if ( preg_match( '/\p{Arabic}/u', $p ) ) {
				$arabic[] = $q;
			} else {
				$latin[] = $q;
			}
		}
		$parts = array();
		if ( $latin ) {
			$parts[] = '(?<![\p{L}\p{N}])(?:' . implode( '|', $latin ) . ')(?![\p{L}\p{N}])';
		}
		if ( $arabic ) {
			$parts[] = '(?:' . implode( '|', $arabic ) . ')';
		}
		return '/' . implode( '|', $parts ) . '/u';
	}

	private static function phrases( array $list ): string {
		usort( $list, static fn ( $a, $b ) => mb_strlen( $b ) <=> mb_strlen( $a ) );
		return implode( '|', array_map( static fn ( $w ) => preg_quote( $w, '/' ), $list ) );
	}

	/** Regexes of the price phrases: [between, max, min, cheapest, priciest], each matching the whole phrase. */
	private static function price_res(): array {
		static $re = null;
		if ( null === $re ) {
			$num = '(\d+(?:[.,]\d{1,2})?)';
			$cur = '(?:\s*' . self::CURRENCY . ')?';
			$pre = '(?:' . self::CURRENCY . '\s*)?';
			$b   = '(?<![\p{L}\p{N}])';
			$and = '(?:' . self::phrases( self::AND ) . ')';
			$re  = array(
				'/' . $b . '(?:' . self::phrases( self::BETWEEN ) . '|from|de|von|da|desde|من)\s*' . $pre . $num . $cur . '\s*' . $and . '\s*' . $pre . $num . $cur . '(?![\p{L}\p{N}])/u',
				'/' . $b . '(?:' . self::phrases( self::PRICE_MAX ) . ')\s*' . $pre . $num . $cur . '(?![\p{L}\p{N}])/u',
				'/' . $b . '(?:' . self::phrases( self::PRICE_MIN ) . ')\s*' . $pre . $num . $cur . '(?![\p{L}\p{N}])/u',
				'/' . $b . '(?:' . self::phrases( self::CHEAPEST ) . ')(?![\p{L}\p{N}])|(?:' . self::phrases( array_filter( self::CHEAPEST, static fn ( $w ) => (bool) preg_match( '/\p{Arabic}/u', $w ) ) ) . ')/u',
				'/' . $b . '(?:' . self::phrases( self::PRICIEST ) . ')(?![\p{L}\p{N}])|(?:' . self::phrases( array_filter( self::PRICIEST, static fn ( $w ) => (bool) preg_match( '/\p{Arabic}/u', $w ) ) ) . ')/u',
			);
		}
		return $re;
	}

	/**
	 * Price filters a message asks for: ['price_min' => float, 'price_max' => float, 'sort' => 'price' (cheapest
	 * first) or 'price_desc' (most expensive first)].
	 * Digits of any script count.
	 */
	public static function price_filters( string $text ): array {
		$t   = mb_strtolower( self::digits( $text ) );
		$re  = self::price_res();
		$f   = array();
		$num = static fn ( string $s ) => (float) str_replace( ',', '.', $s );
		if ( preg_match( $re[0], $t, $m ) ) {
			$f['price_min'] = min( $num( $m[1] ), $num( $m[2] ) );
			$f['price_max'] = max( $num( $m[1] ), $num( $m[2] ) );
		} else {
			if ( preg_match( $re[1], $t, $m ) ) {
				$f['price_max'] = $num( $m[1] );
			}
			if ( preg_match( $re[2], $t, $m ) ) {
				$f['price_min'] = $num( $m[1] );
			}
		}
		if ( preg_match( $re[4], $t ) ) {
			$f['sort'] = 'price_desc';
		} elseif ( preg_match( $re[3], $t ) ) {
			$f['sort'] = 'price';
		}
		return $f;
	}

	/** The category a shopper restricts the search to ("only in Hoodies"), from $categories; '' if none. */
	public static function only_in( string $t, array $categories ): string {
		if ( ! preg_match( '/(?:' . self::phrases( self::ONLY_IN ) . ')\s+(?:the\s+|les?\s+|la\s+|los\s+|las\s+|den\s+|der\s+|die\s+|os\s+|as\s+|il\s+|i\s+|gli\s+|le\s+)?(.+)$/u', $t, $m ) ) {
			return '';
		}
		foreach ( $categories as $cat ) {
			$c = mb_strtolower( (string) $cat );
			if ( '' !== $c && preg_match( '/^' . preg_quote( rtrim( $c, 's' ), '/' ) . 's?(?![\p{L}\p{N}])/u', $m[1] ) ) {
				return (string) $cat;
			}
		}
		return '';
	}

	/** The message as a search query: price phrases, intent phrases and filler words removed. */
	public static function query( string $text ): string {
		$t = mb_strtolower( self::digits( $text ) );
		foreach ( self::price_res() as $re ) {
			$t = (string) preg_replace( $re, ' ', $t );
		}
		$t = (string) preg_replace( '/(?:' . self::phrases( self::ONLY_IN ) . ')\s+/u', ' ', $t );
		$t = (string) preg_replace( '/(?<![\p{L}])(?:qu|l|d|j|c|s|n|m|t|dell|dall|nell|all|un)[\'’]/u', ' ', $t ); // French/Italian elisions.
		$t = (string) preg_replace( '/-(?:vous|tu|il|elle|ils|elles|on|moi|nous)(?![\p{L}])/u', ' ', $t );
		$t = (string) preg_replace( '/[?!.,;:¿¡،؟"“”«»()]+/u', ' ', $t );
		static $stop = null;
		if ( null === $stop ) {
			$stop = array();
			foreach ( self::FILLER as $list ) {
				foreach ( preg_split( '/\s+/u', $list ) as $w ) {
					$stop[ $w ] = true;
				}
			}
			foreach ( self::INTENTS['price'] as $w ) {
				if ( ! preg_match( '/[^\p{L} ]/u', $w ) ) {
					foreach ( explode( ' ', $w ) as $x ) {
						$stop[ $x ] = true;
					}
				}
			}
		}
		$t   = (string) preg_replace( '/[’‘]/u', "'", $t );
		$t   = (string) preg_replace( '/\s(?:à|a|for|por|para|per|für|zu)\s*$/u', ' ', $t . ' ' ); // "sweat à capuche à [moins de 40 €]".
		$out = array();
		foreach ( preg_split( '/\s+/u', $t, -1, PREG_SPLIT_NO_EMPTY ) as $w ) {
			// Arabic attaches "هل"-style particles rarely, but the article and و/ب/ل often: the extension normalizes those.
			if ( ! isset( $stop[ $w ] ) && ! preg_match( '/^[\p{P}\p{S}]+$/u', $w ) ) {
				$out[] = $w;
			}
		}
		return implode( ' ', $out );
	}

	/** English colour or size names a question mentions (["blue", "large"]), for matching variations. */
	public static function option_words( string $text ): array {
		$words = preg_split( '/[^\p{L}\p{N}]+/u', mb_strtolower( $text ), -1, PREG_SPLIT_NO_EMPTY );
		$out   = array();
		foreach ( self::COLOURS + self::SIZES as $name => $forms ) {
			foreach ( $forms as $f ) {
				if ( str_contains( $f, ' ' ) ? str_contains( ' ' . implode( ' ', $words ) . ' ', ' ' . $f . ' ' ) : in_array( $f, $words, true ) ) {
					$out[] = $name;
					break;
				}
			}
		}
		return $out;
	}

	/** Does a variation's attribute value ("Blue", "L", "Large") mean one of the option words? */
	public static function value_matches( string $value, array $option_words, array $message_words ): bool {
		$v = mb_strtolower( trim( $value ) );
		if ( in_array( $v, $message_words, true ) ) {
			return true;
		}
		foreach ( $option_words as $name ) {
			$forms = self::COLOURS[ $name ] ?? self::SIZES[ $name ] ?? array();
			if ( $v === $name || in_array( $v, $forms, true ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The country a message names, in any supported language ("Kanada", "كندا", "Allemagne"):
	 * WooCommerce's country list, with ICU's display names in the shopper's language and English.
	 * Returns the country code or ''.
	 */
	public static function country_in( string $t, string $lang ): string {
		$norm = self::fold( $t );
		$best = array( 0, '' );
		foreach ( self::country_names( $lang ) as $code => $names ) {
			foreach ( $names as $n ) {
				$len = mb_strlen( $n );
				if ( $len < 3 || $len <= $best[0] ) {
					continue;
				}
				$arabic = (bool) preg_match( '/\p{Arabic}/u', $n );
				$hit    = $arabic ? str_contains( $norm, $n ) || str_contains( $norm, self::fold( (string) preg_replace( '/^ال/u', '', $n ) ) ) && mb_strlen( $n ) > 4
					: (bool) preg_match( '/(?<![\p{L}])' . preg_quote( $n, '/' ) . '(?![\p{L}])/u', $norm );
				if ( $hit ) {
					$best = array( $len, (string) $code );
				}
			}
		}
		return $best[1];
	}

	/** @return array<string, string[]> Country code => its folded names (WooCommerce's, ICU's in $lang and English, aliases). */
	private static function country_names( string $lang ): array {
		static $cache = array();
		if ( isset( $cache[ $lang ] ) ) {
			return $cache[ $lang ];
		}
		$countries = function_exists( 'WC' ) && isset( WC()->countries ) ? (array) WC()->countries->get_countries() : array();
		$out       = array();
		foreach ( $countries as $code => $name ) {
			$names = array_merge( array( (string) $name ), self::COUNTRY_ALIASES[ $code ] ?? array() );
			if ( class_exists( \Locale::class ) ) {
				foreach ( array_unique( array( $lang ?: 'en', 'en' ) ) as $l ) {
					$names[] = (string) \Locale::getDisplayRegion( '-' . $code, $l );
				}
			}
			$out[ (string) $code ] = array_values( array_unique( array_map( static fn ( $n ) => self::fold( html_entity_decode( $n, ENT_QUOTES, 'UTF-8' ) ), $names ) ) );
		}
		return $cache[ $lang ] = $out;
	}

	/** Lower case, Latin accents and Arabic letter variants folded, for matching names. */
	public static function fold( string $s ): string {
		$s = mb_strtolower( $s );
		if ( class_exists( \Normalizer::class ) ) {
			$s = (string) preg_replace( '/\p{Mn}+/u', '', (string) \Normalizer::normalize( $s, \Normalizer::FORM_D ) );
		}
		return strtr( $s, array( 'أ' => 'ا', 'إ' => 'ا', 'آ' => 'ا', 'ة' => 'ه', 'ى' => 'ي', 'ـ' => '', 'ß' => 'ss' ) );
	}
}
