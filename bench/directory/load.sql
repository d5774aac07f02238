-- 100,000 bankers (+ their users) in two set-based statements. Deterministic:
-- every "random" choice is hashint4 of the row number, so runs are comparable.
-- __N__ is the number of bankers; ids start at 10,000,001 to stay clear of real rows.


INSERT INTO accounts_user (id, password, is_superuser, email, first_name, last_name, role,
                           is_staff, is_active, date_joined)
SELECT __BASE__ + g,
       '!',                               -- unusable password
       false,
       'bench.banker.' || g || '@example.com',
       (ARRAY['Maya','James','Priya','Luis','Chen','Amara','Noah','Sofia','Omar','Grace',
              'Daniel','Aisha','Ethan','Lena','Marcus','Hana','Victor','Nadia','Samuel','Elena',
              'Ravi','Claire','Diego','Fatima','Henry','Ingrid','Kofi','Lucia','Mateo','Olivia'])
           [1 + abs(hashint4(g)) % 30],
       (ARRAY['Reyes','Okafor','Patel','Nguyen','Smith','Garcia','Kim','Johnson','Brown','Lee',
              'Martinez','Davis','Lopez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin',
              'Harris','Clark','Lewis','Walker','Hall','Young','Allen','King','Wright','Scott',
              'Green','Baker','Adams','Nelson','Hill','Campbell','Mitchell','Roberts','Carter','Phillips'])
           [1 + abs(hashint4(g + 7919)) % 40],
       'banker',
       false,
       abs(hashint4(g + 104729)) % 100 <> 0,    -- 1% deactivated accounts
       now() - make_interval(days => abs(hashint4(g + 15485863)) % 1100)
FROM generate_series(1, __N__) AS g;

INSERT INTO accounts_bankerprofile (user_id, display_name, institution, job_title, bio, city, region,
                                    country, products, industries, min_loan_amount, max_loan_amount,
                                    availability, accepting_new_clients, verification_status,
                                    verified_at, created_at, updated_at)
SELECT u.id,
       u.first_name || ' ' || u.last_name,
       (ARRAY['First Harbor Bank','Summit Commercial Bank','Pacific Trust','Great Plains Bank',
              'Riverbend Credit Union','Atlas Capital Bank','Lakeshore National','Keystone Business Bank',
              'Cascade Community Bank','Frontier Lending','Bayview Savings','Ironwood Bank',
              'Meridian Commerce Bank','Northstar Financial','Granite State Bank','Sunbelt Business Credit',
              'Redwood Capital','Heartland Bank','Coastal Federal','Pioneer Commercial'])[1 + abs(hashint4(u.g + 1)) % 20],
       (ARRAY['Commercial Lending Officer','Relationship Manager','SBA Lending Specialist',
              'Vice President, Commercial Banking','Business Banker','Equipment Finance Manager',
              'Credit Officer','Senior Loan Officer'])[1 + abs(hashint4(u.g + 2)) % 8],
       (ARRAY['I help','I have spent years helping','My team supports','I work with','I partner with'])[1 + abs(hashint4(u.g + 3)) % 5]
         || ' ' || (ARRAY['family-owned','growing','established','mid-size','early-stage','rural','urban'])[1 + abs(hashint4(u.g + 4)) % 7]
         || ' ' || (ARRAY['manufacturers','restaurants','clinics','contractors','retailers','farms','logistics companies',
                         'software firms','wholesalers','hotels','dental practices','trucking fleets'])[1 + abs(hashint4(u.g + 5)) % 12]
         || ' with ' || (ARRAY['equipment financing','working capital','lines of credit','SBA 7(a) loans',
                               'commercial mortgages','invoice factoring','expansion loans','refinancing'])[1 + abs(hashint4(u.g + 6)) % 8]
         || '. ' || (ARRAY['Quick decisions and a single point of contact.','Known for clear terms and fast closings.',
                          'Former small-business owner myself.','Bilingual service in English and Spanish.',
                          'Focused on first-time borrowers.','Comfortable with complex, multi-site deals.'])[1 + abs(hashint4(u.g + 7)) % 6],
       c.city, c.region, 'US',
       COALESCE(NULLIF(ARRAY(SELECT p FROM unnest(ARRAY['term_loan','line_of_credit','sba_loan','equipment_financing',
                                                         'invoice_financing','commercial_real_estate']::varchar[]) WITH ORDINALITY AS t(p, i)
                             WHERE abs(hashint4(u.g * 8 + i::int)) % 100 < 40), '{}'),
                ARRAY['term_loan']::varchar[]),
       ARRAY(SELECT s FROM unnest(ARRAY['agriculture','construction','manufacturing','retail','wholesale','transportation',
                                        'technology','professional_services','healthcare','hospitality','real_estate','other']::varchar[])
                      WITH ORDINALITY AS t(s, i)
             WHERE abs(hashint4(u.g * 16 + i::int + 3)) % 100 < 25),
       a.low,
       CASE WHEN abs(hashint4(u.g + 8)) % 5 = 0 THEN NULL
            ELSE a.low * (ARRAY[5, 10, 20, 50])[1 + abs(hashint4(u.g + 9)) % 4] END,
       (ARRAY['available','available','available','busy','busy','away'])[1 + abs(hashint4(u.g + 10)) % 6],
       abs(hashint4(u.g + 11)) % 100 < 85,
       v.status,
       CASE WHEN v.status = 'verified' THEN u.date_joined + interval '2 days' END,
       u.date_joined, u.date_joined
FROM (SELECT id, (id - __BASE__)::int AS g, first_name, last_name, date_joined
      FROM accounts_user WHERE id > __BASE__ AND id <= __BASE__ + __N__) AS u
CROSS JOIN LATERAL (
    SELECT (ARRAY['San Francisco','Los Angeles','San Diego','Austin','Houston','Dallas','New York','Buffalo',
                  'Miami','Orlando','Chicago','Columbus','Philadelphia','Atlanta','Charlotte','Seattle',
                  'Denver','Phoenix','Boston','Detroit','Minneapolis','Nashville','Portland','Salt Lake City',
                  'Kansas City','Omaha','Boise','Albuquerque','Raleigh','Newark'])[k + 1] AS city,
           (ARRAY['CA','CA','CA','TX','TX','TX','NY','NY','FL','FL','IL','OH','PA','GA','NC','WA',
                  'CO','AZ','MA','MI','MN','TN','OR','UT','MO','NE','ID','NM','NC','NJ'])[k + 1] AS region
    FROM (SELECT abs(hashint4(u.g + 12)) % 30 AS k) AS pick
) AS c
CROSS JOIN LATERAL (
    SELECT (ARRAY[10000, 25000, 50000, 100000, 250000, 500000, 1000000])[1 + abs(hashint4(u.g + 13)) % 7]::numeric(14, 2) AS low
) AS a
CROSS JOIN LATERAL (
    SELECT CASE WHEN abs(hashint4(u.g + 14)) % 100 < 90 THEN 'verified'
                WHEN abs(hashint4(u.g + 14)) % 100 < 97 THEN 'pending'
                ELSE 'rejected' END AS status
) AS v;

SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), (SELECT max(id) FROM accounts_user));
