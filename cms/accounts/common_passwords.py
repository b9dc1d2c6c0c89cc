"""A small bundled list of the passwords tried first by anyone guessing (leaked-password top lists, keyboard
walks, and Chinese favourites such as pinyin words and dates). Compared case-insensitively; the length and
character-class rules in ``passwords.py`` catch most of the rest."""

COMMON_PASSWORDS = frozenset("""
123456 1234567 12345678 123456789 1234567890 12345678910 0123456789 9876543210 0987654321 1111111111
0000000000 1122334455 1234554321 1314520520 5201314520 woaini1314 woaini520 iloveyou iloveyou1 iloveyou123
password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword p@ssword1 p@ssw0rd123
passw0rd123 password!! password@123 password#1 pa$$w0rd pa$$word123 admin admin123 admin1234 admin12345
administrator admin@123 admin#123 root123456 root@123 qwerty qwerty123 qwerty1234 qwertyuiop qwertyuiop1
qwertyuiop123 qwertyuiopas qwerty@123 1qaz2wsx 1qaz2wsx3edc 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 1qaz@wsx
zaq12wsx zxcvbnm zxcvbnm123 asdfghjkl asdfghjkl123 qazwsxedc qazwsx123 abc123456 abc1234567 abcd1234
abcd123456 abcdefghij abcdefg123 a123456789 a1234567890 aa123456789 123456abc 123456789a 1234567890a
123qweasd 123qweasdzxc 123abc456 letmein letmein123 welcome welcome1 welcome123 welcome@123 monkey123
dragon123 football1 baseball1 sunshine1 princess1 superman1 trustno1 master123 shadow123 michael123
changeme changeme123 default123 test123456 test@12345 guest12345 user123456 demo12345 demo123456
woaini123 woaini1234 woaiwojia 5201314 520131400 wangyi1234 zhang123456 wang123456 li123456789
liu123456 chen123456 huang12345 zhou123456 beijing2008 beijing123 shanghai123 china123456 zhongguo123
zhongguo1949 aini1314520 qq123456789 taobao123 baidu123456 computer123 internet123 football123
1234abcd 12341234 11223344 12121212 13131313 147258369 159357456 159753456 741852963 123123123
1231231234 321321321 456456456 789789789 147852369 963852741 66666666 88888888 11111111 00000000
gov123456 zhengwu123 zfxxgk123 zhengfu123 gongkai123 xinxi123456
""".split())
