<?php
/**
 * The catalogs of the relevance set, as Catalog::addMany rows:
 *   sample     WooCommerce's own sample catalog (sample-data/sample_products.csv of the pinned release,
 *              verified and unpacked by tests/wordpress/Platform.php into build/platform/; never committed)
 *   generated  tests/relevance/generate.php (deterministic, 3,000 products)
 *   fr, ar     small catalogs written in French and in Arabic for the set (same-language search)
 */

require_once __DIR__ . '/generate.php';

final class RelevanceCatalogs
{
    /** catalog name => the language its products are written in */
    public const LANGUAGES = ['sample' => 'en', 'generated' => 'en', 'fr' => 'fr', 'ar' => 'ar'];

    public static function rows(string $name): array
    {
        return match ($name) {
            'sample' => self::sample(),
            'generated' => RelevanceGenerated::products(3000),
            'fr' => self::small(self::FR, 'EUR', 20001),
            'ar' => self::small(self::AR, 'SAR', 30001),
            default => throw new InvalidArgumentException("unknown catalog $name"),
        };
    }

    public static function sampleCsv(): string
    {
        require_once dirname(__DIR__) . '/wordpress/Harness.php';
        return Platform::unpacked('woocommerce', Platform::pair('current')['woocommerce']) . '/sample-data/sample_products.csv';
    }

    /** WooCommerce's sample_products.csv, mapped the way CatalogSync reads a store that imported it. */
    public static function sample(?string $csv = null): array
    {
        $f = fopen($csv ?? self::sampleCsv(), 'r');
        $head = fgetcsv($f, escape: '\\');
        $head[0] = preg_replace('/^\xEF\xBB\xBF/', '', $head[0]);
        $rows = [];
        while (($r = fgetcsv($f, escape: '\\')) !== false) {
            if ($r === [null]) {
                continue;
            }
            $rows[] = array_combine($head, $r);
        }
        fclose($f);
        $list = fn (string $s) => array_values(array_filter(array_map('trim', explode(',', $s)), 'strlen'));
        $products = [];
        $bySku = [];
        foreach ($rows as $r) {
            if ($r['Type'] === 'variation') {
                continue;
            }
            $type = trim(explode(',', $r['Type'])[0]);
            $categories = [];
            foreach ($list($r['Categories']) as $path) {
                foreach (explode('>', $path) as $c) {
                    $categories[] = trim($c);
                }
            }
            $attributes = [];
            foreach ([1, 2] as $n) {
                $an = trim($r["Attribute $n name"] ?? '');
                if ($an !== '') {
                    $attributes[$an] = $list($r["Attribute $n value(s)"]);
                }
            }
            $p = [
                'id' => (int) $r['ID'],
                'name' => $r['Name'],
                'sku' => $r['SKU'],
                'type' => $type,
                'permalink' => 'https://shop.example/product/' . $r['ID'],
                'regular_price' => $r['Regular price'],
                'sale_price' => $r['Sale price'],
                'stock_status' => $r['In stock?'] === '0' ? 'outofstock' : 'instock',
                'categories' => array_values(array_unique($categories)),
                'tags' => $list($r['Tags']),
                'attributes' => $attributes,
                'short_description' => $r['Short description'],
                'description' => $r['Description'],
            ];
            $products[$p['id']] = $p;
            $bySku[strtolower($p['sku'])] = $p['id'];
        }
        foreach ($rows as $r) {
            if ($r['Type'] !== 'variation') {
                continue;
            }
            $parent = trim($r['Parent']);
            $pid = str_starts_with($parent, 'id:') ? (int) substr($parent, 3) : ($bySku[strtolower($parent)] ?? null);
            if (!isset($products[$pid])) {
                continue;
            }
            $attrs = [];
            foreach ([1, 2] as $n) {
                $an = trim($r["Attribute $n name"] ?? '');
                $av = trim($r["Attribute $n value(s)"] ?? '');
                if ($an !== '' && $av !== '') {
                    $attrs[$an] = $av;
                }
            }
            $products[$pid]['variations'][] = [
                'id' => (int) $r['ID'],
                'sku' => $r['SKU'],
                'regular_price' => $r['Regular price'],
                'sale_price' => $r['Sale price'],
                'stock_status' => $r['In stock?'] === '0' ? 'outofstock' : 'instock',
                'attributes' => $attrs,
            ];
        }
        foreach ($products as &$p) {
            if (!empty($p['variations'])) {
                // WooCommerce's price of a variable product (its lookup table's min_price): the lowest variation price
                $prices = array_map(fn ($v) => (float) ($v['sale_price'] !== '' ? $v['sale_price'] : $v['regular_price']), $p['variations']);
                $p['price'] = number_format(min($prices), 2, '.', '');
                $p['regular_price'] = '';
                $p['sale_price'] = '';
            }
        }
        unset($p);
        return array_values($products);
    }

    /** [sku, name, category path, price ('' = none), in stock, attributes, description] → rows */
    private static function small(array $items, string $currency, int $firstId): array
    {
        $out = [];
        foreach ($items as $i => [$sku, $name, $path, $price, $inStock, $attributes, $text]) {
            $out[] = [
                'id' => $firstId + $i,
                'name' => $name,
                'sku' => $sku,
                'permalink' => 'https://shop.example/product/' . ($firstId + $i),
                'regular_price' => $price,
                'currency' => $currency,
                'stock_status' => $inStock ? 'instock' : 'outofstock',
                'categories' => array_map('trim', explode('>', $path)),
                'attributes' => $attributes,
                'description' => $text,
            ];
        }
        return $out;
    }

    public const FR = [
        ['FR-TSH-01', 'T-shirt en coton bio - Blanc', 'Vêtements > T-shirts', '19.90', true, ['Couleur' => ['Blanc'], 'Taille' => ['S', 'M', 'L']], 'Un t-shirt col rond en coton biologique, coupe droite.'],
        ['FR-TSH-02', 'T-shirt rayé marinière - Bleu', 'Vêtements > T-shirts', '24.90', true, ['Couleur' => ['Bleu', 'Blanc']], 'La marinière classique à rayures, en jersey de coton.'],
        ['FR-TSH-03', 'T-shirt enfant dinosaure - Vert', 'Enfants > T-shirts', '12.90', true, ['Couleur' => ['Vert'], 'Taille' => ['4 ans', '6 ans', '8 ans']], 'Un t-shirt pour enfant imprimé dinosaure.'],
        ['FR-CHE-01', 'Chemise en lin - Blanc', 'Vêtements > Chemises', '49.00', true, ['Couleur' => ['Blanc'], 'Matière' => ['Lin']], 'Chemise légère en lin lavé, idéale pour l’été.'],
        ['FR-CHE-02', 'Chemise à carreaux en flanelle - Rouge', 'Vêtements > Chemises', '45.00', true, ['Couleur' => ['Rouge'], 'Matière' => ['Flanelle']], 'Chemise chaude à carreaux.'],
        ['FR-SWE-01', 'Sweat à capuche zippé - Gris', 'Vêtements > Sweats', '39.90', true, ['Couleur' => ['Gris']], 'Sweat à capuche avec fermeture éclair et poche kangourou.'],
        ['FR-SWE-02', 'Sweat à capuche oversize - Noir', 'Vêtements > Sweats', '44.90', true, ['Couleur' => ['Noir']], 'Un sweat à capuche ample en molleton gratté.'],
        ['FR-SWE-03', 'Sweat-shirt col rond - Bleu marine', 'Vêtements > Sweats', '34.90', true, ['Couleur' => ['Bleu marine']], 'Sweat-shirt sans capuche, col rond côtelé.'],
        ['FR-SWE-04', 'Sweat à capuche enfant - Rose', 'Enfants > Sweats', '24.90', false, ['Couleur' => ['Rose']], 'Sweat à capuche doux pour enfant.'],
        ['FR-PUL-01', 'Pull en laine mérinos - Beige', 'Vêtements > Pulls', '79.00', true, ['Couleur' => ['Beige'], 'Matière' => ['Laine mérinos']], 'Pull fin et chaud en laine mérinos.'],
        ['FR-PUL-02', 'Pull en cachemire - Gris', 'Vêtements > Pulls', '129.00', true, ['Couleur' => ['Gris'], 'Matière' => ['Cachemire']], 'Pull col V en pur cachemire.'],
        ['FR-BON-01', 'Bonnet en laine - Rouge', 'Accessoires > Chapeaux et bonnets', '19.00', true, ['Couleur' => ['Rouge']], 'Bonnet tricoté en laine, revers large.'],
        ['FR-BON-02', 'Bonnet à pompon - Jaune', 'Accessoires > Chapeaux et bonnets', '22.00', true, ['Couleur' => ['Jaune']], 'Bonnet avec pompon en fausse fourrure.'],
        ['FR-CAS-01', 'Casquette de baseball - Noir', 'Accessoires > Chapeaux et bonnets', '18.00', true, ['Couleur' => ['Noir']], 'Casquette en coton avec visière incurvée.'],
        ['FR-CHA-01', 'Chapeau de paille - Naturel', 'Accessoires > Chapeaux et bonnets', '29.00', true, ['Couleur' => ['Naturel']], 'Chapeau de paille à large bord pour le soleil.'],
        ['FR-CHA-02', 'Chapeau bob en jean - Bleu', 'Accessoires > Chapeaux et bonnets', '21.00', true, ['Couleur' => ['Bleu']], 'Un bob en denim délavé.'],
        ['FR-ECH-01', 'Écharpe en laine - Vert', 'Accessoires > Écharpes', '35.00', true, ['Couleur' => ['Vert']], 'Écharpe longue et chaude.'],
        ['FR-GAN-01', 'Gants en cuir - Marron', 'Accessoires > Gants', '45.00', true, ['Couleur' => ['Marron'], 'Matière' => ['Cuir']], 'Gants en cuir d’agneau doublés.'],
        ['FR-CEI-01', 'Ceinture en cuir - Noir', 'Accessoires > Ceintures', '39.00', true, ['Couleur' => ['Noir'], 'Matière' => ['Cuir']], 'Ceinture en cuir pleine fleur, boucle argentée.'],
        ['FR-LUN-01', 'Lunettes de soleil aviateur', 'Accessoires > Lunettes', '89.00', true, [], 'Monture métal dorée, verres polarisés.'],
        ['FR-SAC-01', 'Sac à dos en toile - Kaki', 'Accessoires > Sacs', '59.00', true, ['Couleur' => ['Kaki']], 'Sac à dos 20 litres en toile de coton ciré.'],
        ['FR-SAC-02', 'Sac à main en cuir - Camel', 'Accessoires > Sacs', '149.00', true, ['Couleur' => ['Camel']], 'Sac à main en cuir grainé.'],
        ['FR-POR-01', 'Portefeuille en cuir - Noir', 'Accessoires > Maroquinerie', '49.00', true, ['Couleur' => ['Noir']], 'Portefeuille compact, huit cartes.'],
        ['FR-JEA-01', 'Jean droit - Bleu brut', 'Vêtements > Pantalons', '69.00', true, ['Couleur' => ['Bleu'], 'Taille' => ['38', '40', '42']], 'Jean coupe droite en denim brut.'],
        ['FR-PAN-01', 'Pantalon chino - Beige', 'Vêtements > Pantalons', '55.00', true, ['Couleur' => ['Beige']], 'Chino en sergé de coton.'],
        ['FR-SHO-01', 'Short en lin - Blanc', 'Vêtements > Pantalons', '35.00', true, ['Couleur' => ['Blanc']], 'Short léger en lin.'],
        ['FR-ROB-01', 'Robe d’été fleurie - Bleu', 'Vêtements > Robes', '59.00', true, ['Couleur' => ['Bleu']], 'Robe légère à fleurs, bretelles fines.'],
        ['FR-ROB-02', 'Robe pull en maille - Gris', 'Vêtements > Robes', '69.00', true, ['Couleur' => ['Gris']], 'Robe pull chaude en maille épaisse.'],
        ['FR-JUP-01', 'Jupe plissée - Noir', 'Vêtements > Jupes', '45.00', true, ['Couleur' => ['Noir']], 'Jupe plissée mi-longue.'],
        ['FR-VES-01', 'Veste en jean - Bleu', 'Vêtements > Vestes', '79.00', true, ['Couleur' => ['Bleu']], 'Veste en denim délavé.'],
        ['FR-IMP-01', 'Imperméable - Jaune', 'Vêtements > Vestes', '89.00', true, ['Couleur' => ['Jaune']], 'Ciré imperméable à capuche.'],
        ['FR-DOU-01', 'Doudoune légère - Noir', 'Vêtements > Vestes', '119.00', true, ['Couleur' => ['Noir']], 'Doudoune matelassée sans manches.'],
        ['FR-BAS-01', 'Baskets en toile - Blanc', 'Chaussures > Baskets', '55.00', true, ['Couleur' => ['Blanc'], 'Pointure' => ['38', '39', '40', '41', '42']], 'Baskets basses en toile de coton.'],
        ['FR-BAS-02', 'Baskets de course - Gris', 'Chaussures > Baskets', '89.00', false, ['Couleur' => ['Gris']], 'Chaussures de running légères.'],
        ['FR-BOT-01', 'Bottes de pluie enfant - Rouge', 'Enfants > Chaussures', '29.00', true, ['Couleur' => ['Rouge']], 'Bottes en caoutchouc pour enfant.'],
        ['FR-SAN-01', 'Sandales en cuir - Marron', 'Chaussures > Sandales', '49.00', true, ['Couleur' => ['Marron']], 'Sandales plates en cuir.'],
        ['FR-CHAU-01', 'Chaussettes en coton (lot de 3)', 'Vêtements > Chaussettes', '12.00', true, [], 'Trois paires de chaussettes en coton peigné.'],
        ['FR-PYJ-01', 'Pyjama enfant étoiles - Bleu', 'Enfants > Pyjamas', '25.00', true, ['Couleur' => ['Bleu']], 'Pyjama deux pièces en coton.'],
        ['FR-PEL-01', 'Peluche ours en coton bio', 'Enfants > Jouets', '24.00', true, [], 'Un ours en peluche doux pour les tout-petits.'],
        ['FR-VOI-01', 'Voiture miniature en bois', 'Enfants > Jouets', '15.00', true, [], 'Petite voiture en bois de hêtre.'],
        ['FR-TAS-01', 'Tasse en céramique - Blanc', 'Maison > Cuisine', '12.00', true, ['Couleur' => ['Blanc']], 'Tasse à café de 30 cl.'],
        ['FR-GOU-01', 'Gourde isotherme - Vert', 'Maison > Cuisine', '25.00', true, ['Couleur' => ['Vert']], 'Bouteille isotherme en inox, 500 ml.'],
        ['FR-BOU-01', 'Bougie parfumée à la lavande', 'Maison > Décoration', '18.00', true, [], 'Bougie en cire de soja, 40 heures.'],
        ['FR-COU-01', 'Coussin en velours - Vert', 'Maison > Décoration', '29.00', true, ['Couleur' => ['Vert']], 'Coussin 45 x 45 cm.'],
        ['FR-PLA-01', 'Plaid en laine - Gris', 'Maison > Linge de maison', '69.00', true, ['Couleur' => ['Gris']], 'Couverture douce en laine.'],
        ['FR-SER-01', 'Serviette de plage - Orange', 'Maison > Linge de maison', '', true, ['Couleur' => ['Orange']], 'Grande serviette en coton éponge.'],
        ['FR-MON-01', 'Montre classique bracelet cuir', 'Accessoires > Montres', '119.00', true, [], 'Montre à quartz, cadran blanc.'],
        ['FR-COQ-01', 'Coque de téléphone en silicone', 'High-tech > Accessoires', '15.00', true, [], 'Coque souple pour smartphone.'],
    ];

    public const AR = [
        ['AR-TSH-01', 'تيشيرت قطن أبيض', 'ملابس > تيشيرتات', '49', true, ['اللون' => ['أبيض'], 'المقاس' => ['S', 'M', 'L']], 'تيشيرت بياقة دائرية من القطن الناعم.'],
        ['AR-TSH-02', 'تيشيرت رياضي أسود', 'ملابس > تيشيرتات', '59', true, ['اللون' => ['أسود']], 'تيشيرت خفيف للرياضة والجري.'],
        ['AR-QMS-01', 'قميص كتان أزرق', 'ملابس > قمصان', '129', true, ['اللون' => ['أزرق']], 'قميص رجالي من الكتان للصيف.'],
        ['AR-QMS-02', 'قميص رسمي أبيض', 'ملابس > قمصان', '149', true, ['اللون' => ['أبيض']], 'قميص رسمي بأكمام طويلة.'],
        ['AR-HOD-01', 'هودي رمادي بسحاب', 'ملابس > هوديات', '139', true, ['اللون' => ['رمادي']], 'هودي بقبعة وسحاب وجيب أمامي.'],
        ['AR-HOD-02', 'هودي أطفال وردي', 'أطفال > ملابس', '89', true, ['اللون' => ['وردي']], 'هودي دافئ للأطفال.'],
        ['AR-SWT-01', 'سويت شيرت كحلي', 'ملابس > هوديات', '119', true, ['اللون' => ['كحلي']], 'سويت شيرت بدون قبعة.'],
        ['AR-THB-01', 'ثوب رجالي أبيض', 'ملابس > أثواب', '199', true, ['اللون' => ['أبيض'], 'المقاس' => ['52', '54', '56', '58']], 'ثوب سعودي قماش ياباني.'],
        ['AR-THB-02', 'ثوب شتوي رمادي', 'ملابس > أثواب', '229', false, ['اللون' => ['رمادي']], 'ثوب شتوي من الصوف الخفيف.'],
        ['AR-ABY-01', 'عباية سوداء مطرزة', 'ملابس نسائية > عبايات', '349', true, ['اللون' => ['أسود']], 'عباية كريب بتطريز يدوي.'],
        ['AR-ABY-02', 'عباية كاجوال بيج', 'ملابس نسائية > عبايات', '259', true, ['اللون' => ['بيج']], 'عباية مفتوحة للاستخدام اليومي.'],
        ['AR-FST-01', 'فستان سهرة أحمر', 'ملابس نسائية > فساتين', '399', true, ['اللون' => ['أحمر']], 'فستان طويل للمناسبات.'],
        ['AR-HJB-01', 'حجاب شيفون', 'ملابس نسائية > حجابات', '39', true, ['اللون' => ['أسود', 'بيج']], 'طرحة شيفون خفيفة.'],
        ['AR-SHM-01', 'شماغ أحمر', 'إكسسوارات > أشمغة وغتر', '99', true, ['اللون' => ['أحمر']], 'شماغ قطن مع نقشة تقليدية.'],
        ['AR-GTR-01', 'غترة بيضاء', 'إكسسوارات > أشمغة وغتر', '79', true, ['اللون' => ['أبيض']], 'غترة صيفية خفيفة.'],
        ['AR-QBA-01', 'قبعة بيسبول سوداء', 'إكسسوارات > قبعات', '45', true, ['اللون' => ['أسود']], 'قبعة قطن بحافة منحنية.'],
        ['AR-QBA-02', 'قبعة شمس من القش', 'إكسسوارات > قبعات', '65', true, [], 'قبعة واسعة للشاطئ.'],
        ['AR-TQY-01', 'طاقية صوف شتوية', 'إكسسوارات > قبعات', '35', true, ['اللون' => ['رمادي']], 'طاقية محبوكة من الصوف.'],
        ['AR-SHL-01', 'شال صوف', 'إكسسوارات > أوشحة', '89', true, [], 'وشاح طويل دافئ.'],
        ['AR-JWR-01', 'جوارب قطنية (٣ أزواج)', 'ملابس > جوارب', '29', true, [], 'جوارب قطن مريحة.'],
        ['AR-QFZ-01', 'قفازات جلد', 'إكسسوارات > قفازات', '79', true, [], 'قفازات من الجلد الطبيعي.'],
        ['AR-HTH-01', 'حذاء رياضي أبيض', 'أحذية > أحذية رياضية', '299', true, ['اللون' => ['أبيض'], 'المقاس' => ['40', '41', '42', '43']], 'حذاء جري خفيف ومريح.'],
        ['AR-HTH-02', 'حذاء جلد رسمي بني', 'أحذية > أحذية رسمية', '349', true, ['اللون' => ['بني']], 'حذاء كلاسيكي من الجلد.'],
        ['AR-SND-01', 'صندل جلد رجالي', 'أحذية > صنادل', '149', true, ['اللون' => ['بني']], 'صندل شرقي من الجلد الطبيعي.'],
        ['AR-SHN-01', 'شنطة ظهر رمادية', 'حقائب > حقائب ظهر', '159', true, ['اللون' => ['رمادي']], 'حقيبة ظهر للمدرسة والسفر.'],
        ['AR-SHN-02', 'حقيبة يد نسائية جلد', 'حقائب > حقائب يد', '449', true, ['اللون' => ['أسود']], 'حقيبة يد من الجلد.'],
        ['AR-MHF-01', 'محفظة جلد رجالية', 'حقائب > محافظ', '119', true, ['اللون' => ['بني']], 'محفظة صغيرة للبطاقات.'],
        ['AR-SAA-01', 'ساعة يد رجالية', 'إكسسوارات > ساعات', '599', true, [], 'ساعة بسوار معدني.'],
        ['AR-NDR-01', 'نظارة شمسية', 'إكسسوارات > نظارات', '249', true, [], 'نظارة شمسية بعدسات مستقطبة.'],
        ['AR-ATR-01', 'عطر عود ملكي', 'عطور > عطور رجالية', '399', true, [], 'عطر شرقي بخلاصة العود.'],
        ['AR-ATR-02', 'عطر ورد طائفي', 'عطور > عطور نسائية', '279', true, [], 'عطر بماء الورد الطائفي.'],
        ['AR-BKR-01', 'بخور معطر', 'عطور > بخور', '89', true, [], 'بخور معمول فاخر.'],
        ['AR-MBK-01', 'مبخرة كهربائية', 'المنزل > ديكور', '129', true, [], 'مبخرة تعمل بالكهرباء.'],
        ['AR-SJD-01', 'سجادة صلاة', 'المنزل > سجاد', '99', true, ['اللون' => ['أخضر']], 'سجادة صلاة مبطنة.'],
        ['AR-DLH-01', 'دلة قهوة عربية', 'المنزل > مطبخ', '149', true, [], 'دلة نحاسية للقهوة العربية.'],
        ['AR-FNJ-01', 'فناجين قهوة (طقم ٦)', 'المنزل > مطبخ', '79', true, [], 'ستة فناجين بورسلين.'],
        ['AR-KOB-01', 'كوب سيراميك', 'المنزل > مطبخ', '35', true, ['اللون' => ['أبيض']], 'كوب للشاي والقهوة.'],
        ['AR-TMR-01', 'تمر سكري فاخر', 'أغذية > تمور', '69', true, [], 'تمر سكري من القصيم، ١ كيلو.'],
        ['AR-BJM-01', 'بيجامة أطفال', 'أطفال > ملابس', '69', true, ['اللون' => ['أزرق']], 'بيجامة قطن للأطفال.'],
        ['AR-LBH-01', 'لعبة سيارة للأطفال', 'أطفال > ألعاب', '59', true, [], 'سيارة لعبة بجهاز تحكم.'],
        ['AR-DMY-01', 'دمية دب', 'أطفال > ألعاب', '49', true, [], 'دب محشو ناعم.'],
        ['AR-JKT-01', 'جاكيت جينز', 'ملابس > جاكيتات', '219', true, ['اللون' => ['أزرق']], 'جاكيت من الجينز.'],
        ['AR-BNT-01', 'بنطلون جينز', 'ملابس > بناطيل', '159', true, ['اللون' => ['أزرق']], 'بنطلون جينز قصة مستقيمة.'],
        ['AR-GRF-01', 'غطاء جوال سيليكون', 'إلكترونيات > إكسسوارات', '', true, [], 'كفر جوال مرن.'],
        ['AR-SMA-01', 'سماعات لاسلكية', 'إلكترونيات > سماعات', '199', true, [], 'سماعات بلوتوث مع علبة شحن.'],
    ];
}
