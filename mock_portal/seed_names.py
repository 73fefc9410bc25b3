"""Word lists for the seed generator: Turkish first names, surnames, company names, OSGBs."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words: long lists stay readable as paragraphs."""
    return tuple(text.split())


FIRST_NAMES: tuple[str, ...] = _words(
    """
    Ahmet Mehmet Mustafa Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer Ramazan Halil Süleyman
    Abdullah Mahmut Salih Recep Kemal Fatih Kadir Emre Burak Serkan Onur Oğuz Gökhan Tolga Çağlar Çağrı
    Barış Erdem Erkan Ercan Gürkan Güven Hakan Tuncay Ufuk Umut Uğur Volkan Yasin Yavuz Zafer Şükrü Şener
    Şahin Özgür Özcan Özkan Ünal Ümit Doğan Doğukan Berk Berkay Batuhan Cem Cengiz Deniz Alper Arda Anıl
    Koray Kerem Kaan Levent Metin Necati Nihat Orhan Rıza Sinan Taner Tarık Turgut İlker İlhan İlyas
    Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Hanife Merve Havva Zeliha Esra Fadime
    Özlem Yasemin Hülya Derya Sibel Gülsüm Gül Gülşen Songül Tuğba Büşra Kübra Rabia Ebru Seda Sevgi Şeyma
    Çiğdem Dilek Didem Duygu Gamze Gizem İrem İpek Işıl Nur Nurcan Nazlı Pınar Selin Sinem Buse Ceren Cansu
    Aslı Aylin Ayten Belgin Betül Birgül Canan Esin Eylül Filiz Gönül Gülay Hande Hilal Leyla Melek Müge
    Naciye Nermin Neslihan Öznur Özge Reyhan Saadet Semra Serpil Şule Şükran Tülay Ülkü Yağmur Yeşim Zübeyde
    """
)

LAST_NAMES: tuple[str, ...] = _words(
    """
    Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Kara
    Koç Kurt Özkan Şimşek Polat Özcan Korkmaz Çakır Erdoğan Yavuz Can Acar Şen Aktaş Güler Yalçın Güneş
    Bozkurt Bulut Keskin Ünal Turan Gül Özer Işık Kaplan Avcı Sarı Tekin Taş Köse Yüksel Ateş Aksoy Çiftçi
    Kaçar Uçar
    Güngör Karataş Başaran Sönmez Türkmen Erdem Kocabaş Altun Toprak Karaca Duman Tunç Akın Bayram Kalkan Eren
    Uysal Akbulut Güven Tuna Çoban Çınar Akgül Ekinci Oral Özgür Tosun Sezer Balcı Karakaya Demirci Gündoğdu
    Yücel Kahraman Orhan Sağlam Baysal Tan Kandemir Dinç Akkaya Önal Ergin Coşkun Ağaoğlu Aydoğan Bilgin
    Durmaz Ekici Erol Gök Gümüş İnce İpek Karadağ Kırmızı Kocaman Mutlu Özbek Öz Sevim Soylu Şeker Tatlı
    Uğurlu Üstün
    Yazıcı Yiğit Zengin Çağlar Çalışkan Çakmak Dağ Dalkılıç Erbaş Ertürk Gökçe Günay Hamzaoğlu İlhan Kılınç
    Koçak Kökten Küçük Macit Nalbant Okur Örnek Özyurt Parlak Sarıkaya Saygılı Şanlı Taşkın Temiz Topçu
    Uslu Vural Yaman Yazgan Yücesoy Zorlu Ilgaz Işıklar Öncel Ölmez Ünlü Ülker Şahbaz Çevik Ağırbaş Bağcı
    """
)

# Place words that open a company name ("Anadolu Tekstil ...").
COMPANY_PREFIXES: tuple[str, ...] = _words(
    """
    Anadolu Ege Marmara Karadeniz Akdeniz Trakya Başkent Boğaziçi Toros Kaçkar Uludağ Erciyes Fırat Dicle
    Sakarya Kızılırmak Yeşilırmak Çukurova Konya Bursa Gediz Menderes Ilgaz Ağrı Palandöken Munzur Göksu
    Yıldız Doğuş Gün Işık Öncü Özgür Birlik Güneş Çınar Ekin Nur Tuğra Şimşek Altın Gümüş Defne Lale Zümrüt
    """
)

# Sectors by hazard class, each with a NACE code of that class (İşyeri Tehlike Sınıfları Tebliği).
SECTORS: dict[str, tuple[tuple[str, str], ...]] = {
    "Az Tehlikeli": (
        ("Yazılım ve Danışmanlık", "62.01.01"),
        ("Muhasebe ve Mali Müşavirlik", "69.20.02"),
        ("Sigorta Aracılık Hizmetleri", "66.22.01"),
        ("Eğitim Hizmetleri", "85.59.90"),
        ("Reklam ve Tanıtım", "73.11.01"),
        ("Emlak Yönetim", "68.32.02"),
        ("Mimarlık ve Mühendislik", "71.11.01"),
        ("Giyim Mağazacılık", "47.71.01"),
    ),
    "Tehlikeli": (
        ("Tekstil", "13.20.01"),
        ("Gıda Ürünleri", "10.89.01"),
        ("Lojistik ve Taşımacılık", "49.41.02"),
        ("Mobilya", "31.09.01"),
        ("Plastik Ambalaj", "22.22.01"),
        ("Otomotiv Servis", "45.20.01"),
        ("Matbaacılık", "18.12.01"),
        ("Konfeksiyon", "14.13.01"),
    ),
    "Çok Tehlikeli": (
        ("Metal Döküm", "24.51.01"),
        ("İnşaat Taahhüt", "41.20.01"),
        ("Madencilik", "08.11.01"),
        ("Kimya", "20.59.02"),
        ("Enerji Üretim", "35.11.19"),
        ("Gemi İnşa", "30.11.02"),
        ("Çelik Konstrüksiyon", "25.11.01"),
        ("Mermer İşleme", "23.70.01"),
    ),
}

COMPANY_SUFFIXES: tuple[str, ...] = (
    "San. ve Tic. A.Ş.",
    "San. ve Tic. Ltd. Şti.",
    "A.Ş.",
    "Ltd. Şti.",
    "San. Tic. Ltd. Şti.",
)

# OSGBs that appear as "Hizmet Veren".
PROVIDERS: tuple[str, ...] = (
    "Güven OSGB Sağlık Hizmetleri Ltd. Şti.",
    "Sağlıklı İş OSGB A.Ş.",
    "Emniyet Ortak Sağlık Güvenlik Birimi Ltd. Şti.",
    "Anadolu İSG Hizmetleri OSGB Ltd. Şti.",
    "Koruyucu OSGB Danışmanlık A.Ş.",
    "Öncü İş Sağlığı ve Güvenliği OSGB Ltd. Şti.",
)

STREETS: tuple[str, ...] = (
    "Atatürk Cad.",
    "Cumhuriyet Mah. İstiklal Sok.",
    "Organize Sanayi Bölgesi 3. Cad.",
    "Fatih Mah. Gazi Bulvarı",
    "Yenişehir Mah. Çınar Sok.",
    "Sanayi Mah. Demirciler Sitesi",
    "Kazım Karabekir Cad.",
    "Mimar Sinan Mah. Lale Sok.",
    "İnönü Bulvarı",
    "Küçük Sanayi Sitesi 12. Sok.",
)
